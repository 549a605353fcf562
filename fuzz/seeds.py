#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ (small, realistic inputs).

Run from the repository root after changing an input format:
    python3 fuzz/seeds.py
Existing seed files of the same name are overwritten; others are kept (the
fuzzers' own finds are never copied here, see `make fuzz`)."""
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
RS = b"\x1e"  # request separator of fuzz_dispatch


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- form: query strings and bodies ----------------------------------------
put("form", "seed-stop", "serverInstanceNoList.1=1021003&responseFormatType=json")
put("form", "list", "serverInstanceNoList.1=1021003&serverInstanceNoList.2=1021004"
    "&serverInstanceNoList.10=1021005")
put("form", "objlist", "instanceTagList.1.tagKey=env&instanceTagList.1.tagValue=prod"
    "&instanceTagList.2.tagKey=a%20b&blockDevicePartitionList.1.mountPoint=%2Fdata")
put("form", "empty-pairs", "a=1&&b&=c&=&d=%41%42+c&")
put("form", "bad-escape", "serverName=%G1")
put("form", "short-escape", "serverName=ab%4")
put("form", "utf8", "serverDescription=%EB%82%B4%EC%84%9C%EB%B2%84&x=\xe2\x82\xac")
put("form", "bad-utf8", b"serverName=%C3%28&y=\xc3\x28")
put("form", "nul", "serverName=a%00b&%00=x")
put("form", "format-xml", "responseFormatType=xml&pageNo=1&pageSize=10")

# ---- auth: METHOD \n URI \n TIMESTAMP \n ACCESSKEY \n SIGNATURE \n SECRET ---
put("auth", "post", "POST\n/server/v2/stopServerInstances?serverInstanceNoList.1=1021003\n"
    "1700000000000\nFUZZACCESSKEYA000001\nuP1Cs1r2KZ9qTGWvJ5dDfr8YHrsV3Xr8Jx1p4lDd9Jk=\n"
    "fuzzSecretKeyOfAccountA0000000000000000A")
put("auth", "get-bare-q", "GET\n/server/v2/getRegionList?\n1700000000000\nAK\n\nsecret")
put("auth", "get-no-q", "GET\n/server/v2/getRegionList\n1700000000000\nAK\nx\nsecret")
put("auth", "encoded-query", "GET\n/server/v2/getServerInstanceList?searchFilterValue=a%20b"
    "&responseFormatType=json\n1700000000000\nAK\nsig\nsecret")
put("auth", "bad-ts", "GET\n/\n17000000000001234\nAK\nsig\nsecret")
put("auth", "ts-skew", "GET\n/\n1699999700000\nAK\nsig\n")
put("auth", "plus-in-query", "GET\n/a?x=1+2%2B3\n1\nAK\nsig\ns")

# ---- emit: a small program (see fuzz_emit.c) --------------------------------
# byte 0: bit 0 JSON, bits 1-2 == 3: capped; byte 1: action name index; then
# opcodes (0 obj, 1 list, 2 bare list, 3 close, 4/5 string, 6 int, 7 bool,
# 8 code, 9 NULL string) with their operands.
def prog(fmt, *ops):
    return bytes([fmt, 0]) + bytes(ops)


server = [1, 1, 0,      # list serverInstanceList / item serverInstance
          0, 0,         # object
          4, 2, 5] + list(b"web-1") + [
          6, 12, 0, 0, 0, 0, 0, 0, 0, 42,   # int totalRows = 42
          7, 9, 1,                         # bool
          8, 3, 5, 6,                      # code zone code codeName
          1, 7, 8, 3,                      # empty list accessControlGroup/instanceTag
          3, 3]                            # close object, close list
put("emit", "server-xml", prog(0, *server))
put("emit", "server-json", prog(1, *server))
bare = [2, 13, 0, 4, 2, 3] + list(b"abc") + [3, 3, 0, 4, 14, 4] + list(b"k<&>") + [3, 3]
put("emit", "bare-xml", prog(0, *bare))
put("emit", "bare-json", prog(1, *bare))
put("emit", "text-escapes", b"\x04<&>\"'\r\n\t\x7f\x01\xef\xbf\xbe\xef\xbf\xbf done")
put("emit", "text-bad-utf8", b"\x05\xc3\x28\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82\xac\xf0\x9f\x98\x80")

# ---- validate: ACTION \n QUERY \n BODY --------------------------------------
put("validate", "stop", "stopServerInstances\n\nserverInstanceNoList.1=1021003&regionNo=1")
put("validate", "stop-dup", "stopServerInstances\nserverInstanceNoList.1=1\n"
    "serverInstanceNoList.1=2&serverInstanceNoList.1=3")
put("validate", "list-query", "getServerInstanceList\nserverInstanceNoList.1=1021003"
    "&pageNo=1&pageSize=2&responseFormatType=json\nsortedBy=SERVERNAME&sortingOrder=descending")
put("validate", "create", "createServerInstances\n\nserverImageProductCode=SPSW0LINUX000046"
    "&serverProductCode=SPSVRSTAND000004&serverName=web-9&serverCreateCount=2"
    "&isProtectServerTermination=True&instanceTagList.1.tagKey=env"
    "&instanceTagList.1.tagValue=dev&accessControlGroupConfigurationNoList.1=39995"
    "&feeSystemTypeCode=mtrat")
put("validate", "root-pw", "getRootPasswordServerInstanceList\n\n"
    "rootPasswordServerInstanceList.1.serverInstanceNo=1021003"
    "&rootPasswordServerInstanceList.1.privateKey=-----BEGIN")
put("validate", "bounds", "getLoginKeyList\n\npageNo=-1&pageSize=99999999999&keyName=ab")
put("validate", "unknown", "getZoneList\n\nregionNo=1&bogus=1")
put("validate", "missing", "setProtectServerTermination\n\nserverInstanceNo=1021003")
put("validate", "enum-list", "getServerImageProductList\n\nplatformTypeCodeList.1=lnx64"
    "&platformTypeCodeList.2=WND64&blockStorageSize=50")

# ---- dispatch: FLAGS ACTION \n QUERY \n BODY, separated by 0x1e -------------
def req(action, query="", body="", flags=b"0"):
    if isinstance(body, str):
        body = body.encode()
    return flags + action.encode() + b"\n" + query.encode() + b"\n" + body


def seq(*reqs):
    return RS.join(reqs)


put("dispatch", "seed-list-json", req("getServerInstanceList", body="responseFormatType=json"))
put("dispatch", "seed-list-xml", req("getServerInstanceList",
                                     "serverInstanceNoList.1=1021003", flags=b"p"))
put("dispatch", "stop-start-reboot", seq(
    req("stopServerInstances", body="serverInstanceNoList.1=1021003"),
    req("startServerInstances", body="serverInstanceNoList.1=1021003&responseFormatType=json"),
    req("rebootServerInstances", body="serverInstanceNoList.1=1021003"),
    req("getServerInstanceList", body="serverInstanceNoList.1=1021003")))
put("dispatch", "stop-no-wait", seq(
    req("stopServerInstances", body="serverInstanceNoList.1=1021003&serverInstanceNoList.2=1021004",
        flags=b"\x00"),
    req("stopServerInstances", body="serverInstanceNoList.1=1021003", flags=b" "),
    req("startServerInstances", body="serverInstanceNoList.1=1021003")))
put("dispatch", "create-stop-terminate", seq(
    req("createServerInstances", body="serverImageProductCode=SPSW0LINUX000046"
        "&serverProductCode=SPSVRSTAND000004&serverName=fz-web&serverCreateCount=2"
        "&instanceTagList.1.tagKey=env&instanceTagList.1.tagValue=dev"
        "&blockDevicePartitionList.1.mountPoint=/data&blockDevicePartitionList.1.partitionSize=50"
        "&userData=IyEvYmluL3NoCmVjaG8gaGk=&responseFormatType=json"),
    req("stopServerInstances", body="serverInstanceNoList.1=1030007"),
    req("terminateServerInstances", body="serverInstanceNoList.1=1030007"),
    req("getServerInstanceList", body="responseFormatType=json")))
put("dispatch", "change-spec", seq(
    req("changeServerInstanceSpec", body="serverInstanceNo=1021005"
        "&serverProductCode=SPSVRSTAND000005"),
    req("getServerInstanceList", body="serverInstanceNoList.1=1021005")))
put("dispatch", "protect-terminate", seq(
    req("setProtectServerTermination", body="serverInstanceNo=1021006"
        "&isProtectServerTermination=true"),
    req("terminateServerInstances", body="serverInstanceNoList.1=1021006"),
    req("setProtectServerTermination", body="serverInstanceNo=1021006"
        "&isProtectServerTermination=false"),
    req("terminateServerInstances", body="serverInstanceNoList.1=1021006")))
put("dispatch", "fault-stop", seq(
    req("!fault", body="action=stopServerInstances&serverInstanceNo=1021003&times=1"),
    req("stopServerInstances", body="serverInstanceNoList.1=1021003"),
    req("stopServerInstances", body="serverInstanceNoList.1=1021003&serverInstanceNoList.2=1021004")))
put("dispatch", "storage-busy", seq(
    req("!fault", body="action=storageBusy&serverInstanceNo=1021004&times=3", flags=b"\x00"),
    req("stopServerInstances", body="serverInstanceNoList.1=1021004", flags=b" "),
    req("getServerInstanceList", body="serverInstanceNoList.1=1021004")))
put("dispatch", "auth-bad", seq(
    req("getServerInstanceList", "responseFormatType=json", flags=b"6"),
    req("getServerInstanceList", flags=b"7"),
    req("getServerInstanceList", flags=b"?"),
    req("getServerInstanceList", flags=b"5")))
put("dispatch", "other-account", seq(
    req("getServerInstanceList", body="responseFormatType=json", flags=b"8"),
    req("stopServerInstances", body="serverInstanceNoList.1=1021003", flags=b"8"),
    req("setProtectServerTermination", body="serverInstanceNo=1021004"
        "&isProtectServerTermination=true", flags=b"8"),
    req("stopServerInstances", body="serverInstanceNoList.1=1021900")))
put("dispatch", "login-keys", seq(
    req("importLoginKey", body="keyName=fz-key&publicKey=ssh-rsa%20AAAAB3NzaC1yc2EAAAADAQABAAAAgQDf"
        "%20fuzz"),
    req("getLoginKeyList", body="responseFormatType=json"),
    req("deleteLoginKey", body="keyName=juhoon-kim"),
    req("deleteLoginKey", body="keyName=fz-key")))
put("dispatch", "create-login-key", req("createLoginKey", body="keyName=fz-new"))
put("dispatch", "catalog", seq(
    req("getRegionList"), req("getZoneList", body="regionNo=1&responseFormatType=json"),
    req("getServerImageProductList", body="platformTypeCodeList.1=LNX64"),
    req("getServerProductList", body="serverImageProductCode=SPSW0LINUX000046"),
    req("getRaidList"), req("getInitScriptList", body="responseFormatType=json")))
put("dispatch", "acg-rootpw", seq(
    req("getAccessControlGroupList", body="responseFormatType=json"),
    req("getAccessControlRuleList", body="accessControlGroupConfigurationNo=39995"),
    req("getAccessControlGroupServerInstanceList", body="accessControlGroupConfigurationNo=39995"),
    req("getRootPassword", body="serverInstanceNo=1021003&privateKey=-----BEGIN%20RSA"),
    req("getRootPasswordServerInstanceList",
        body="rootPasswordServerInstanceList.1.serverInstanceNo=1021003"
        "&rootPasswordServerInstanceList.1.privateKey=x&responseFormatType=json")))
put("dispatch", "routes", seq(
    req("//server/v2//getRegionList/"), req("/_ncpd/health"), req("HEAD /_ncpd/health"),
    req("/server/v2/nope"), req("/_ncpd/faults", body="action=x"), req("PUT /server/v2/getZoneList")))
put("dispatch", "bad-input", seq(
    req("getServerInstanceList", "%zz"),
    req("getServerInstanceList", body=b"serverName=\xc3\x28"),
    req("getServerInstanceList", body="responseFormatType=json&responseFormatType=%00"),
    req("createServerInstances", body="serverName=%27%3B%20DROP%20TABLE%20servers%3B--"
        "&serverImageProductCode=SPSW0LINUX000046&serverDescription=%00"),
    req("getServerInstanceList", body="searchFilterName=serverName&searchFilterValue=%25_%27")))

# issue 11: the classic resources (1030007 is the first number a request gets)
put("dispatch", "block-storage", seq(
    req("createBlockStorageInstance", body="serverInstanceNo=1021003&blockStorageSize=10"
        "&blockStorageName=fz-disk&diskDetailTypeCode=SSD"),
    req("stopServerInstances", body="serverInstanceNoList.1=1021003", flags=b"\x00"),
    req("getBlockStorageInstanceList", body="serverInstanceNo=1021003&responseFormatType=json"),
    req("detachBlockStorageInstances", body="blockStorageInstanceNoList.1=1030007"),
    req("changeBlockStorageVolumeSize", body="blockStorageInstanceNo=1030007&blockStorageSize=20"),
    req("attachBlockStorageInstance", body="serverInstanceNo=1021006&blockStorageInstanceNo=1030007"),
    req("createBlockStorageSnapshotInstance", body="blockStorageInstanceNo=1030007"),
    req("deleteBlockStorageInstances", body="blockStorageInstanceNoList.1=1030007"),
    req("getBlockStorageSnapshotInstanceList", body="responseFormatType=json"),
    req("deleteBlockStorageSnapshotInstances", body="blockStorageSnapshotInstanceNoList.1=1030008")))
put("dispatch", "disk-work-stop", seq(
    req("attachBlockStorageInstance", body="serverInstanceNo=1021004&blockStorageInstanceNo=1021902"),
    req("createBlockStorageInstance", body="serverInstanceNo=1021004&blockStorageSize=20",
        flags=b"\x00"),
    req("stopServerInstances", body="serverInstanceNoList.1=1021004", flags=b"\x00"),
    req("terminateServerInstances", body="serverInstanceNoList.1=1021005")))
put("dispatch", "public-ip", seq(
    req("createPublicIpInstance", body="serverInstanceNo=1021004&publicIpDescription=fz"),
    req("getPublicIpInstanceList", body="IsAssociated=true&responseFormatType=json"),
    req("disassociatePublicIpFromServerInstance", body="publicIpInstanceNo=1021203"),
    req("replaceServerInstanceAssociatedWithPublicIp",
        body="publicIpInstanceNo=1030007&serverInstanceNo=1021006"),
    req("getPublicIpTargetServerInstanceList", body="zoneNo=3"),
    req("associatePublicIpWithServerInstance", body="publicIpInstanceNo=1021203"
        "&serverInstanceNo=1021003"),
    req("deletePublicIpInstances", body="publicIpInstanceNoList.1=1021203"),
    req("terminateServerInstances", body="serverInstanceNoList.1=1021006")))
put("dispatch", "port-forwarding", seq(
    req("getPortForwardingRuleList", body="zoneNo=3&responseFormatType=json"),
    req("addPortForwardingRules", body="portForwardingConfigurationNo=31260"
        "&portForwardingRuleList.1.serverInstanceNo=1021003"
        "&portForwardingRuleList.1.portForwardingExternalPort=2222"
        "&portForwardingRuleList.1.portForwardingInternalPort=22"),
    req("getPortForwardingRuleList", body="zoneNo=3&responseFormatType=json"),
    req("getPortForwardingRuleList", body="zoneNo=3"),
    req("getPortForwardingConfigurationList", body="serverInstanceNoList.1=1021003"),
    req("deletePortForwardingRules", body="portForwardingConfigurationNo=31260"
        "&portForwardingRuleList.1.serverInstanceNo=1021003"
        "&portForwardingRuleList.1.portForwardingExternalPort=2222"
        "&portForwardingRuleList.1.portForwardingInternalPort=22")))
put("dispatch", "nas", seq(
    req("createNasVolumeInstance", body="volumeName=fz01&volumeSize=500"
        "&volumeAllotmentProtocolTypeCode=NFS&accessControlRuleList.1.serverInstanceNo=1021003"
        "&accessControlRuleList.2.customIp=10.0.0.5&accessControlRuleList.2.writeAccess=false"),
    req("addNasVolumeAccessControl", body="nasVolumeInstanceNo=1030007&serverInstanceNoList.1=1021004"),
    req("removeNasVolumeAccessControl", body="nasVolumeInstanceNo=1030007"
        "&accessControlRuleList.1.customIp=10.0.0.5&serverInstanceNoList.1=1021003"),
    req("getNasVolumeAccessControlRuleList", body="nasVolumeInstanceNo=1030007"),
    req("changeNasVolumeSnapshotConfiguration", body="nasVolumeInstanceNo=1030007"
        "&snapshotVolumeConfigurationRatio=20&snapshotVolumeConfigDayOfWeekTypeCode=MON"),
    req("createNasVolumeSnapshot", body="nasVolumeInstanceNo=1030007"),
    req("getNasVolumeInstanceList", body="responseFormatType=json"),
    req("getNasVolumeInstanceRatingList", body="nasVolumeInstanceNo=1030007"
        "&startTime=202401010000&endTime=202401010100&interval=30m"),
    req("changeNasVolumeSize", body="nasVolumeInstanceNo=1030007&volumeSize=600"),
    req("deleteNasVolumeInstance", body="nasVolumeInstanceNo=1030007")))
put("dispatch", "images-tags", seq(
    req("createMemberServerImage", body="serverInstanceNo=1021005&memberServerImageName=fz-img"),
    req("stopServerInstances", body="serverInstanceNoList.1=1021005", flags=b"\x00"),
    req("getMemberServerImageList", body="responseFormatType=json"),
    req("setMemberServerImageSharingPermission", body="memberServerImageNo=1030007"
        "&targetLoginIdList.1=other"),
    req("createServerInstances", body="memberServerImageNo=1030007&serverName=fz-copy",
        flags=b"8"),
    req("createInstanceTags", body="instanceNoList.1=1021003&instanceTagList.1.tagKey=k"
        "&instanceTagList.1.tagValue=v"),
    req("getInstanceTagList", body="tagKeyList.1=k"),
    req("deleteInstanceTags", body="instanceNoList.1=1021003"),
    req("deleteMemberServerImages", body="memberServerImageNoList.1=1030007")))
put("dispatch", "network-recreate", seq(
    req("getPrivateSubnetInstanceList", body="responseFormatType=json"),
    req("createNetworkInterface", body="privateSubnetInstanceNo=1021301"
        "&networkInterfaceName=fz-nic&networkInterfaceIp=10.200.3.10&serverInstanceNo=1021003"),
    req("getNetworkInterfaceList"),
    req("detachNetworkInterface", body="networkInterfaceNo=1030007&serverInstanceNo=1021003"),
    req("deleteNetworkInterface", body="networkInterfaceNo=1030007"),
    req("recreateServerInstance", body="serverInstanceNo=1021006"
        "&serverImageProductCode=SPSW0LINUX000046"),
    req("interruptServerInstance", body="serverInstanceNo=1021004")))
# the VPC APIs: account B owns VPC 1030001 (network ACL 1030002, ACG 1030003, route
# tables 1030004-1030005) and subnet 1030006 from the set-up; A's numbers start at 1030007
VPC = "1030007"
put("dispatch", "vpc-walk", seq(
    req("vpc:createVpc", body="ipv4CidrBlock=10.1.0.0%2F16&vpcName=&responseFormatType=json"),
    req("vpc:createSubnet", body="vpcNo=1030007&subnet=10.1.1.0%2F24&zoneCode=KR-2"
        "&networkAclNo=1030008&subnetTypeCode=PUBLIC&usageTypeCode=&subnetName="),
    req("vserver:createServerInstances", body="vpcNo=1030007&subnetNo=1030012"
        "&serverImageNo=23214590&serverSpecCode=s2-g3&associateWithPublicIp=true"
        "&networkInterfaceList.1.networkInterfaceOrder=0"
        "&networkInterfaceList.1.accessControlGroupNoList.1=1030009&responseFormatType=json"),
    req("vserver:getServerInstanceDetail", body="serverInstanceNo=1030013"),
    req("vserver:getServerInstanceList", body="vpcNo=1030007&serverName=VS&sortedBy=serverName"
        "&sortingOrder=descending&pageNo=1&pageSize=5&hypervisorTypeCodeList.1=KVM"),
    req("vpc:getVpcList", body="vpcStatusCode=RUN&vpcNoList.1=1030007&vpcNoList.2=1030001"),
    req("vpc:getSubnetList", body="vpcNo=1030007&subnetTypeCode=PUBLIC&pageSize=1"),
    req("vserver:rebootServerInstances", body="serverInstanceNoList.1=1030013"),
    req("vserver:stopServerInstances", body="serverInstanceNoList.1=1030013"),
    req("vserver:changeServerInstanceSpec", body="serverInstanceNo=1030013&serverSpecCode=s4-g3"),
    req("vserver:terminateServerInstances", body="serverInstanceNoList.1=1030013"),
    req("vpc:deleteSubnet", body="subnetNo=1030012"),
    req("vpc:deleteVpc", body="vpcNo=1030007&responseFormatType=json")))
put("dispatch", "vpc-acg-nic", seq(
    req("vpc:createVpc", body="ipv4CidrBlock=192.168.0.0%2F16&vpcName=fz-vpc"),
    req("vpc:createSubnet", body="vpcNo=1030007&subnet=192.168.1.0%2F24&zoneCode=KR-1"
        "&networkAclNo=1030008&subnetTypeCode=PRIVATE"),
    req("vserver:createAccessControlGroup", body="vpcNo=1030007&accessControlGroupName=fz-acg"),
    req("vserver:addAccessControlGroupInboundRule", body="vpcNo=1030007"
        "&accessControlGroupNo=1030013&accessControlGroupRuleList.1.protocolTypeCode=TCP"
        "&accessControlGroupRuleList.1.ipBlock=0.0.0.0%2F0&accessControlGroupRuleList.1.portRange=22"
        "&accessControlGroupRuleList.2.protocolTypeCode=ICMP"
        "&accessControlGroupRuleList.2.accessControlGroupSequence=1030009"),
    req("vserver:createNetworkInterface", body="vpcNo=1030007&subnetNo=1030012"
        "&accessControlGroupNoList.1=1030013&ip=192.168.1.10"),
    req("vserver:addNetworkInterfaceAccessControlGroup", body="networkInterfaceNo=1030014"
        "&accessControlGroupNoList.1=1030009"),
    req("vserver:removeNetworkInterfaceAccessControlGroup", body="networkInterfaceNo=1030014"
        "&accessControlGroupNoList.1=1030013&accessControlGroupNoList.2=1030009"),
    req("vserver:getAccessControlGroupRuleList", body="accessControlGroupNo=1030013"),
    req("vserver:deleteNetworkInterface", body="networkInterfaceNo=1030014"),
    req("vserver:deleteAccessControlGroup", body="vpcNo=1030007&accessControlGroupNo=1030013")))
put("dispatch", "vpc-storage-ip", seq(
    req("vpc:createVpc", body="ipv4CidrBlock=172.16.0.0%2F16"),
    req("vpc:createSubnet", body="vpcNo=1030007&subnet=172.16.0.0%2F28&zoneCode=KR-2"
        "&networkAclNo=1030008&subnetTypeCode=PUBLIC"),
    req("vserver:createServerInstances", body="vpcNo=1030007&subnetNo=1030012"
        "&serverImageProductCode=SW.VSVR.OS.LNX64.ROCKY.0810.B050&serverCreateCount=2"
        "&networkInterfaceList.1.networkInterfaceOrder=0"
        "&networkInterfaceList.1.accessControlGroupNoList=%5B%271030009%27%5D"),
    req("vserver:createBlockStorageInstance", body="blockStorageSize=20&serverInstanceNo=1030013"),
    req("vserver:createBlockStorageInstance", body="blockStorageSize=10&zoneCode=KR-2"),
    req("vserver:createPublicIpInstance", body="serverInstanceNo=1030013"),
    req("vserver:detachBlockStorageInstances", body="blockStorageInstanceNoList.1=1030019"),
    req("vserver:getBlockStorageInstanceList", body="serverInstanceNo=1030013"),
    req("vserver:getPublicIpInstanceList", body="responseFormatType=json"),
    req("vserver:deleteBlockStorageInstances", body="blockStorageInstanceNoList.1=1030019")))
put("dispatch", "vpc-other-account", seq(
    req("vpc:getVpcDetail", body="vpcNo=1030001&responseFormatType=json"),
    req("vpc:deleteVpc", body="vpcNo=1030001"),
    req("vpc:createSubnet", body="vpcNo=1030001&subnet=10.77.2.0%2F24&zoneCode=KR-2"
        "&networkAclNo=1030002&subnetTypeCode=PUBLIC"),
    req("vpc:getNetworkAclList", body="vpcNo=1030001", flags=b"8"),
    req("vserver:getAccessControlGroupRuleList", body="accessControlGroupNo=1030003", flags=b"8"),
    req("vserver:stopServerInstances", body="serverInstanceNoList.1=1021003", flags=b"8"),
    req("vserver:getServerInstanceDetail", body="serverInstanceNo=1021003"),
    req("vserver:getServerInstanceList", body="serverInstanceNoList.1=1021003", flags=b"8"),
    req("vpc:getSubnetList", body="subnetNoList.1=1030006", flags=b"8")))
put("dispatch", "vpc-bad-input", seq(
    req("vpc:createVpc", body="responseFormatType=json&ipv4CidrBlock=%zz"),
    req("vpc:createVpc", body="ipv4CidrBlock=10.0.0.1%2F16&vpcName=Bad"),
    req("vpc:getVpcList", body="responseFormatType=json"),
    req("vserver:createPlacementGroup"),
    req("vserver:getServerImageList", body="hypervisorCodeList.1=KVM&hypervisorTypeCodeList.1="),
    req("vserver:getServerSpecList"), req("vserver:getZoneList", body="regionCode=KR"),
    req("/vserver/v2/createVpc"), req("vserver:createLoginKey", body="keyName=")))
