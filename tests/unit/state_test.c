/* state_test.c: the server state machine (domain/state.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/state.h"

static ncp_err_code_t check(ncp_tr_kind_t k, ncp_status_t st, ncp_op_t op, bool storage)
{
    ncp_err_t err;
    ncp_err_init(&err);
    return ncp_state_check(k, st, op, storage, &err) == 0 ? NCP_E_OK : err.code;
}

static void test_state_check_stop(void **state)
{
    (void)state;
    assert_int_equal(check(NCP_TR_STOP, NCP_ST_RUN, NCP_OP_NULL, false), NCP_E_OK);
    assert_int_equal(check(NCP_TR_STOP, NCP_ST_NSTOP, NCP_OP_NULL, false), NCP_E_ALREADY_STOPPED);
    assert_int_equal(check(NCP_TR_STOP, NCP_ST_RUN, NCP_OP_SHTDN, false), NCP_E_SERVER_BUSY);
    assert_int_equal(check(NCP_TR_STOP, NCP_ST_NSTOP, NCP_OP_START, false), NCP_E_SERVER_BUSY);
    assert_int_equal(check(NCP_TR_STOP, NCP_ST_INIT, NCP_OP_NULL, false), NCP_E_SERVER_BUSY);
    assert_int_equal(check(NCP_TR_STOP, NCP_ST_FSTOP, NCP_OP_NULL, false), NCP_E_SERVER_BUSY);
    assert_int_equal(check(NCP_TR_STOP, NCP_ST_RUN, NCP_OP_SETUP, false), NCP_E_SERVER_BUSY);
    assert_int_equal(check(NCP_TR_STOP, NCP_ST_RUN, NCP_OP_SETUP, true), NCP_E_STORAGE_BUSY);
}

static void test_state_check_others(void **state)
{
    (void)state;
    assert_int_equal(check(NCP_TR_START, NCP_ST_NSTOP, NCP_OP_NULL, false), NCP_E_OK);
    assert_int_equal(check(NCP_TR_START, NCP_ST_RUN, NCP_OP_NULL, false), NCP_E_SERVER_BUSY);
    assert_int_equal(check(NCP_TR_START, NCP_ST_NSTOP, NCP_OP_SETUP, true), NCP_E_STORAGE_BUSY);
    assert_int_equal(check(NCP_TR_REBOOT, NCP_ST_RUN, NCP_OP_NULL, false), NCP_E_OK);
    assert_int_equal(check(NCP_TR_REBOOT, NCP_ST_NSTOP, NCP_OP_NULL, false), NCP_E_SERVER_BUSY);
    assert_int_equal(check(NCP_TR_TERMINATE, NCP_ST_NSTOP, NCP_OP_NULL, false), NCP_E_OK);
    assert_int_equal(check(NCP_TR_TERMINATE, NCP_ST_RUN, NCP_OP_NULL, false), NCP_E_TERMINATE_STATE);
    assert_int_equal(check(NCP_TR_TERMINATE, NCP_ST_NSTOP, NCP_OP_START, false), NCP_E_TERMINATE_BUSY);
    assert_int_equal(check(NCP_TR_CHANGE_SPEC, NCP_ST_NSTOP, NCP_OP_NULL, false), NCP_E_OK);
    assert_int_equal(check(NCP_TR_CHANGE_SPEC, NCP_ST_RUN, NCP_OP_NULL, false), NCP_E_SERVER_BUSY);
    assert_int_equal(check(NCP_TR_CHANGE_SPEC, NCP_ST_NSTOP, NCP_OP_CHNG, false), NCP_E_OBJECT_BUSY);
}

/* Every path starts from a state its check accepts and only visits valid
 * states, ending with operation NULL (no server stuck in a transition). */
static void test_state_paths_valid(void **state)
{
    (void)state;
    static const struct {
        ncp_tr_kind_t kind;
        ncp_status_t from;
    } cases[] = {{NCP_TR_STOP, NCP_ST_RUN},         {NCP_TR_START, NCP_ST_NSTOP},
                 {NCP_TR_REBOOT, NCP_ST_RUN},       {NCP_TR_TERMINATE, NCP_ST_NSTOP},
                 {NCP_TR_CHANGE_SPEC, NCP_ST_NSTOP}, {NCP_TR_STORAGE, NCP_ST_RUN},
                 {NCP_TR_STORAGE, NCP_ST_NSTOP}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const ncp_path_t *p = ncp_state_path(cases[i].kind);
        assert_non_null(p);
        assert_int_equal(check(cases[i].kind, cases[i].from, NCP_OP_NULL, false), NCP_E_OK);
        ncp_status_t st = (p->first.flags & NCP_STEP_KEEP_STATUS) ? cases[i].from : p->first.status;
        assert_true(ncp_state_valid(st, p->first.op));
        assert_int_not_equal(p->first.op, NCP_OP_NULL);
        for (int k = 0; k < p->nsteps; k++) {
            st = (p->steps[k].flags & NCP_STEP_KEEP_STATUS) ? st : p->steps[k].status;
            assert_true(ncp_state_valid(st, p->steps[k].op));
        }
        assert_int_equal(p->steps[p->nsteps - 1].op, NCP_OP_NULL);
    }
    /* create: INIT/NULL then INIT/CREAT, CREAT/START, RUN/SETUP, RUN/NULL (Terraform polls it) */
    const ncp_path_t *c = ncp_state_path(NCP_TR_CREATE);
    assert_int_equal(c->first.status, NCP_ST_INIT);
    assert_int_equal(c->nsteps, 4);
    assert_int_equal(c->steps[3].status, NCP_ST_RUN);
    assert_int_equal(c->steps[3].op, NCP_OP_NULL);
    assert_null(ncp_state_path(NCP_TR_NONE));
}

static void test_state_labels(void **state)
{
    (void)state;
    assert_string_equal(ncp_state_label(NCP_ST_RUN, NCP_OP_SHTDN), "shutting down");
    assert_string_equal(ncp_state_label(NCP_ST_NSTOP, NCP_OP_NULL), "stopped");
    assert_string_equal(ncp_state_label(NCP_ST_RUN, NCP_OP_NULL), "running");
    assert_string_equal(ncp_state_label(NCP_ST_NSTOP, NCP_OP_START), "booting");
    assert_string_equal(ncp_state_label(NCP_ST_INIT, NCP_OP_NULL), "init");
    assert_string_equal(ncp_state_label(NCP_ST_NSTOP, NCP_OP_TERMT), "terminating");
    assert_string_equal(ncp_state_label(NCP_ST_NSTOP, NCP_OP_CHNG), "changingSpec");
    assert_string_equal(ncp_state_status_code_name(NCP_ST_RUN), "Server run state");
    assert_string_equal(ncp_state_op_code_name(NCP_OP_SHTDN), "Server SHUTDOWN OP");
    assert_int_equal(ncp_state_status_parse("NSTOP"), NCP_ST_NSTOP);
    assert_int_equal(ncp_state_status_parse("nope"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_check_stop),
        cmocka_unit_test(test_state_check_others),
        cmocka_unit_test(test_state_paths_valid),
        cmocka_unit_test(test_state_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
