"""Catalogue actions: contents, filters, JSON types, and `--catalog PATH`
(docs/compat.md "Catalogue", catalog.md §1-§7, DECISIONS D8)."""

import json
import os
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET

from lifecycle_util import (BASE_50, FORMATS, GiB, LINUX_IMAGE, LMSG, MICRO, SEED_IMAGE,
                            SEED_PRODUCT, WIN_IMAGE, LifecycleCase, catalog_dump,
                            drop_objects_with_value, replace_string_value)

IMAGES = {  # catalog.md §7.3 + the seed's image: code -> (name, productType, platformType)
    "SPSW0LINUX000046": ("centos-7.3-64", "LINUX", "LNX64"),
    "SPSW0LINUX000045": ("centos-7.2-64", "LINUX", "LNX64"),
    "SPSW0LINUX000044": ("centos-6.6-64", "LINUX", "LNX64"),
    "SPSW0LINUX000032": ("centos-6.3-32", "LINUX", "LNX32"),
    "SPSW0LINUX000029": ("ubuntu-16.04-64-server", "LINUX", "UBS64"),
    "SPSW0WINNT000016": ("win-2016-64", "WINNT", "WND64"),
    "SPSW0LINUX000066": ("tensorflow-centos-7.3-64", "LINUX", "LNX64"),
}
PRODUCTS = {  # catalog.md §7.4: code -> (productType, cpu, memory)
    "SPSVRSTAND000056": ("MICRO", 1, 1 * GiB),
    "SPSVRSTAND000003": ("COMPT", 1, 2 * GiB),
    "SPSVRSTAND000049": ("COMPT", 2, 2 * GiB),
    "SPSVRSTAND000004": ("STAND", 2, 4 * GiB),
    "SPSVRSTAND000024": ("STAND", 2, 8 * GiB),
    "SPSVRSTAND000005": ("STAND", 4, 8 * GiB),
    "SPSVRSSD00000003": ("STAND", 2, 4 * GiB),
    "SPSVRSTAND000059": ("HIMEM", 8, 64 * GiB),
}
METHODS = ("GET", "POST")


class CatalogTest(LifecycleCase):

    @classmethod
    def setUpClass(cls):
        cls.d = cls.new_class_daemon(sim_step_ms=0)
        cls.c = cls.d.client()

    def tearDown(self):
        self.assertTrue(self.d.alive(), "daemon died; log:\n" + self.d.log_tail())

    def each(self):
        return [(fmt, method) for fmt in FORMATS for method in METHODS]

    def images(self, params=None, fmt="json", method="POST"):
        inner = self.call_ok(self.c, "getServerImageProductList", params, fmt=fmt,
                             method=method)
        self.assertEqual(int(inner["totalRows"]), len(inner["productList"]))
        return inner["productList"]

    def products(self, image, params=None, fmt="json", method="POST"):
        inner = self.call_ok(self.c, "getServerProductList",
                             [("serverImageProductCode", image)] + list(params or []), fmt=fmt,
                             method=method)
        self.assertEqual(int(inner["totalRows"]), len(inner["productList"]))
        return inner["productList"]

    # -- regions and zones -----------------------------------------------------------

    def test_region_list(self):
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                inner = self.call_ok(self.c, "getRegionList", None, fmt=fmt, method=method)
                self.assertEqual(inner["totalRows"], "2")
                self.assertEqual(inner["regionList"],
                                 [{"regionNo": "1", "regionCode": "KR", "regionName": "Korea"},
                                  {"regionNo": "8", "regionCode": "JPN",
                                   "regionName": "Japan(New)"}])
        inner = self.call_ok(self.c, "getRegionList", None, typed=True)
        for r in inner["regionList"]:
            self.assertEqual(list(r), ["regionNo", "regionCode", "regionName"])
            for v in r.values():
                self.assertIsInstance(v, str)

    def test_zone_list_has_no_total_rows(self):
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                r = self.c.call("getZoneList", None, method=method, fmt=fmt)
                inner = self.ok(r, fmt, "getZoneList", total=False)
                self.assertEqual(sorted(z["zoneNo"] for z in inner["zoneList"]), ["10", "2", "3"])

    def test_zone_list_region_filter(self):
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                r = self.c.call("getZoneList", [("regionNo", "1")], method=method, fmt=fmt)
                zones = self.ok(r, fmt, "getZoneList", total=False)["zoneList"]
                self.assertEqual(sorted(z["zoneNo"] for z in zones), ["2", "3"])
                by_no = {z["zoneNo"]: z for z in zones}
                self.assertEqual(by_no["3"], {"zoneNo": "3", "zoneName": "KR-2", "zoneCode": "KR-2",
                                              "zoneDescription": "평촌 zone", "regionNo": "1"})
                self.assertEqual((by_no["2"]["zoneName"], by_no["2"]["zoneCode"],
                                  by_no["2"]["regionNo"]), ("KR-1", "KR-1", "1"))
                r = self.c.call("getZoneList", [("regionNo", "8")], method=method, fmt=fmt)
                zones = self.ok(r, fmt, "getZoneList", total=False)["zoneList"]
                self.assertEqual([(z["zoneNo"], z["zoneName"], z["regionNo"]) for z in zones],
                                 [("10", "JPN-1", "8")])
        inner = self.call_ok(self.c, "getZoneList", None, total=False, typed=True)
        for z in inner["zoneList"]:
            self.assertEqual(list(z), ["zoneNo", "zoneName", "zoneCode", "zoneDescription",
                                       "regionNo"])
            for v in z.values():
                self.assertIsInstance(v, str)

    # -- images ----------------------------------------------------------------------

    def test_image_list_contents(self):
        # catalog.md §7.3 and the seed's image must be there (§7.3 allows extra real rows)
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                imgs = {p["productCode"]: p for p in self.images(fmt=fmt, method=method)}
                for code in IMAGES:
                    self.assertIn(code, imgs)
                for code, p in imgs.items():
                    if code in IMAGES:
                        name, ptype, platform = IMAGES[code]
                        self.assertEqual(p["productName"], name)
                        self.assertEqual(p["productType"]["code"], ptype)
                        self.assertEqual(p["platformType"]["code"], platform)
                    self.assertIn(p["productType"]["code"], ("LINUX", "WINNT"))
                    self.assertIn(p["platformType"]["code"], ("LNX32", "LNX64", "WND32", "WND64",
                                                              "UBD64", "UBS64"))
                    self.assertEqual(p["infraResourceType"]["code"], "SW")
                    self.assertEqual(p["baseBlockStorageSize"], str(BASE_50))
                    self.assertTrue(p["osInformation"])
        seed = next(p for p in self.images() if p["productCode"] == SEED_IMAGE)
        self.assertEqual(seed["platformType"], {"code": "LNX64", "codeName": "Linux 64 Bit"})

    def test_image_json_types(self):
        inner = self.call_ok(self.c, "getServerImageProductList", None, typed=True)
        self.assertIs(type(inner["totalRows"]), int)
        for p in inner["productList"]:
            for f in ("productCode", "productName", "productDescription", "osInformation"):
                self.assertIsInstance(p.get(f), str, "%s of %s" % (f, p.get("productCode")))
            for f in ("cpuCount", "memorySize", "baseBlockStorageSize"):
                self.assertIs(type(p.get(f)), int, "%s of %s: %r" % (f, p["productCode"],
                                                                    p.get(f)))
            for f in ("productType", "infraResourceType", "platformType"):
                self.assertIsInstance(p[f].get("code"), str, f)
                self.assertIsInstance(p[f].get("codeName"), str, f)
            self.assertEqual(p["baseBlockStorageSize"], BASE_50)
            if "addBlockStorageSize" in p:
                self.assertIs(type(p["addBlockStorageSize"]), int)

    def test_image_filters(self):
        every = {p["productCode"]: p["platformType"]["code"] for p in self.images()}

        def platform(*codes):
            return sorted(c for c, pl in every.items() if pl in codes)
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                codes = lambda params: sorted(p["productCode"] for p in self.images(  # noqa: E731
                    params, fmt=fmt, method=method))
                self.assertEqual(codes([("productCode", LINUX_IMAGE)]), [LINUX_IMAGE])
                self.assertEqual(codes([("exclusionProductCode", LINUX_IMAGE)]),
                                 sorted(set(every) - {LINUX_IMAGE}))
                self.assertEqual(codes([("platformTypeCodeList.1", "WND64")]), platform("WND64"))
                self.assertIn(WIN_IMAGE, platform("WND64"))
                self.assertEqual(codes([("platformTypeCodeList.1", "LNX32"),
                                        ("platformTypeCodeList.2", "UBS64")]),
                                 platform("LNX32", "UBS64"))
                self.assertIn("SPSW0LINUX000029", platform("UBS64"))
                self.assertEqual(codes([("platformTypeCodeList.1", "LNX64")]), platform("LNX64"))
                self.assertEqual(codes([("blockStorageSize", "50")]), sorted(every))
                self.assertEqual(codes([("blockStorageSize", "100")]), [])
                self.assertEqual(codes([("platformTypeCodeList.1", "LNX64"),
                                        ("exclusionProductCode", SEED_IMAGE)]),
                                 sorted(set(platform("LNX64")) - {SEED_IMAGE}))
                self.assertEqual(codes([("productCode", LINUX_IMAGE),
                                        ("platformTypeCodeList.1", "WND64")]), [])

    # -- products --------------------------------------------------------------------

    def test_product_list_contents(self):
        # catalog.md §7.4 and the seed's product must be there (extra real rows allowed)
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                prods = {p["productCode"]: p for p in self.products(LINUX_IMAGE, fmt=fmt,
                                                                      method=method)}
                for code in PRODUCTS:
                    self.assertIn(code, prods)
                for code, p in prods.items():
                    if code in PRODUCTS:
                        ptype, cpu, mem = PRODUCTS[code]
                        self.assertEqual((p["productType"]["code"], p["cpuCount"],
                                          p["memorySize"]), (ptype, str(cpu), str(mem)), code)
                    self.assertEqual(p["baseBlockStorageSize"], str(BASE_50))
                    self.assertEqual(p["infraResourceType"]["code"], "SVR")
                    self.assertIn(p["diskType"]["code"], ("NET", "LOCAL"))
                self.assertEqual(prods[SEED_PRODUCT]["diskType"]["code"], "NET")
                self.assertIn(SEED_PRODUCT, [p["productCode"] for p in
                                             self.products(SEED_IMAGE, fmt=fmt, method=method)])

    def test_windows_image_has_no_micro_spec(self):
        linux = self.products(LINUX_IMAGE)
        not_micro = sorted(p["productCode"] for p in linux if p["productType"]["code"] != "MICRO")
        self.assertIn(MICRO, [p["productCode"] for p in linux])
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                codes = sorted(p["productCode"] for p in self.products(WIN_IMAGE, fmt=fmt,
                                                                        method=method))
                self.assertEqual(codes, not_micro)
                self.assertEqual(self.products(WIN_IMAGE, [("productCode", MICRO)], fmt=fmt,
                                               method=method), [])

    def test_product_json_types(self):
        inner = self.call_ok(self.c, "getServerProductList",
                             [("serverImageProductCode", SEED_IMAGE)], typed=True)
        self.assertIs(type(inner["totalRows"]), int)
        seed = None
        for p in inner["productList"]:
            for f in ("productCode", "productName", "productDescription"):
                self.assertIsInstance(p.get(f), str, f)
            for f in ("cpuCount", "memorySize", "baseBlockStorageSize"):
                self.assertIs(type(p.get(f)), int, "%s of %s: %r" % (f, p["productCode"],
                                                                    p.get(f)))
            for f in ("productType", "infraResourceType", "diskType"):
                self.assertIsInstance(p[f].get("code"), str, f)
                self.assertIsInstance(p[f].get("codeName"), str, f)
            if "generationCode" in p:
                self.assertIsInstance(p["generationCode"], str)
            if "addBlockStorageSize" in p:
                self.assertIs(type(p["addBlockStorageSize"]), int)
            if p["productCode"] == SEED_PRODUCT:
                seed = p
        self.assertIsNotNone(seed)
        self.assertEqual((seed["cpuCount"], seed["memorySize"], seed["baseBlockStorageSize"]),
                         (2, 4294967296, 53687091200))
        self.assertEqual(seed["productType"]["code"], "STAND")

    def test_product_filters(self):
        every = {p["productCode"]: p for p in self.products(LINUX_IMAGE)}
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                codes = lambda params: sorted(p["productCode"] for p in self.products(  # noqa: E731
                    LINUX_IMAGE, params, fmt=fmt, method=method))
                self.assertEqual(codes([("productCode", "SPSVRSTAND000004")]),
                                 ["SPSVRSTAND000004"])
                self.assertEqual(codes([("exclusionProductCode", "SPSVRSTAND000004")]),
                                 sorted(set(every) - {"SPSVRSTAND000004"}))
                self.assertEqual(codes([("generationCode", "G1")]),
                                 sorted(c for c, p in every.items()
                                        if p.get("generationCode") == "G1"))
                self.assertIn("SPSVRSTAND000004", codes([("generationCode", "G1")]))
                self.assertEqual(codes([("generationCode", "G2")]),
                                 sorted(c for c, p in every.items()
                                        if p.get("generationCode") == "G2"))
                self.assertEqual(codes([("productCode", "SPSVRSTAND999999")]), [])

    # -- RAID and init scripts -------------------------------------------------------

    def test_raid_list(self):
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                inner = self.call_ok(self.c, "getRaidList", None, fmt=fmt, method=method)
                self.assertEqual(inner["totalRows"], "2")
                self.assertEqual(inner["raidList"],
                                 [{"raidTypeName": "5", "raidName": "RAID 5"},
                                  {"raidTypeName": "1", "raidName": "RAID 1+0"}])

    def test_init_script_list_is_empty(self):
        for fmt, method in self.each():
            with self.subTest(fmt=fmt, method=method):
                r = self.c.call("getInitScriptList", None, method=method, fmt=fmt)
                inner = self.ok(r, fmt, "getInitScriptList")
                self.assertEqual(inner["totalRows"], "0")
                self.assertEqual(inner.get("initScriptList"), [], "initScriptList must be an "
                                 "empty list: %r" % r.body)
                if fmt == "xml":
                    self.assertIsNotNone(ET.fromstring(r.body).find("initScriptList"))

    def test_catalogue_is_the_same_for_every_account(self):
        ak, sk = self.d.create_account("cat-other")
        b = self.d.client(ak, sk)
        for action, params in (("getRegionList", None), ("getServerImageProductList", None),
                               ("getServerProductList",
                                [("serverImageProductCode", LINUX_IMAGE)]),
                               ("getRaidList", None)):
            a_inner = self.call_ok(self.c, action, params)
            b_inner = self.call_ok(b, action, params)
            del a_inner["requestId"], b_inner["requestId"]
            self.assertEqual(a_inner, b_inner, action)


class CustomCatalogTest(LifecycleCase):

    def test_dump_edit_and_load(self):
        rc, out, err = catalog_dump()
        self.assertEqual(rc, 0, "ncpd catalog dump failed: %r" % err)
        cat = json.loads(out.decode("utf-8"))
        text = out.decode("utf-8")
        for code in list(IMAGES) + list(PRODUCTS):
            self.assertIn(code, text)
        removed = drop_objects_with_value(cat, "SPSVRSTAND000059")
        self.assertEqual(removed, 1, "the dump should hold SPSVRSTAND000059 once")
        renamed = replace_string_value(cat, "Japan(New)", "Japan(Edited)")
        self.assertGreaterEqual(renamed, 1)
        tmp = tempfile.mkdtemp(prefix="ncpd-l-cat-")
        self.addCleanup(shutil.rmtree, tmp, True)
        path = os.path.join(tmp, "catalog.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(cat, f, ensure_ascii=False, indent=1)

        d2 = self.new_daemon(sim_step_ms=0)
        builtin = [p["productCode"] for p in self.call_ok(
            d2.client(), "getServerProductList",
            [("serverImageProductCode", LINUX_IMAGE)])["productList"]]
        self.assertIn("SPSVRSTAND000059", builtin)

        d = self.new_daemon(sim_step_ms=0, extra_args=["--catalog", path])
        c = d.client()
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                prods = self.call_ok(c, "getServerProductList",
                                     [("serverImageProductCode", LINUX_IMAGE)],
                                     fmt=fmt)["productList"]
                self.assertEqual(sorted(p["productCode"] for p in prods),
                                 sorted(set(builtin) - {"SPSVRSTAND000059"}))
                regions = self.call_ok(c, "getRegionList", None, fmt=fmt)["regionList"]
                self.assertIn("Japan(Edited)", [r["regionName"] for r in regions])
                self.assertNotIn("Japan(New)", [r["regionName"] for r in regions])
                self.create_key(c, "cat-key-" + fmt)
                r = c.call("createServerInstances",
                           [("serverImageProductCode", LINUX_IMAGE),
                            ("serverProductCode", "SPSVRSTAND000059")], method="POST", fmt=fmt)
                self.assert_api_error(r, fmt, 10712, LMSG["10712"])

        # the built-in catalogue still has it
        prods = self.call_ok(d2.client(), "getServerProductList",
                             [("serverImageProductCode", LINUX_IMAGE)])["productList"]
        self.assertIn("SPSVRSTAND000059", [p["productCode"] for p in prods])

    def test_dump_round_trip_is_identical(self):
        rc, out, err = catalog_dump()
        self.assertEqual(rc, 0, err)
        tmp = tempfile.mkdtemp(prefix="ncpd-l-cat-")
        self.addCleanup(shutil.rmtree, tmp, True)
        path = os.path.join(tmp, "catalog.json")
        with open(path, "wb") as f:
            f.write(out)
        d1 = self.new_daemon(sim_step_ms=0)
        d2 = self.new_daemon(sim_step_ms=0, extra_args=["--catalog", path])
        for action, params in (("getRegionList", None), ("getZoneList", None),
                               ("getServerImageProductList", None),
                               ("getServerProductList", [("serverImageProductCode", WIN_IMAGE)]),
                               ("getRaidList", None)):
            total = False if action == "getZoneList" else True
            a = self.call_ok(d1.client(), action, params, total=total)
            b = self.call_ok(d2.client(), action, params, total=total)
            del a["requestId"], b["requestId"]
            self.assertEqual(a, b, action)


if __name__ == "__main__":
    unittest.main()
