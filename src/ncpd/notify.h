/* notify.h: the systemd readiness protocol (sd_notify) without libsystemd.
 *
 * When NOTIFY_SOCKET is set (Type=notify units), sends one datagram such as
 * "READY=1" to it; otherwise does nothing. Errors are ignored: the service
 * manager notices a missing READY by its own timeout. */
#ifndef NCPD_NOTIFY_H
#define NCPD_NOTIFY_H

void ncpd_notify(const char *state);

#endif
