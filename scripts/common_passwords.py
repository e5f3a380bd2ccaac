#!/usr/bin/env python3
"""Writes config/common_passwords.txt: passwords people pick first, from well-known patterns.

No list is downloaded: the entries are built here from the patterns that lead every published
leak analysis (digit runs and repeats, keyboard walks, "password"/"matkhau"/"iloveyou" and their
Vietnamese counterparts with years and the usual suffixes, place and given names with birth
years). Only entries of at least 10 characters are kept: shorter ones are refused by the length
rule already. The gateway compares them ignoring case and embeds the file in the binary.

    python3 scripts/common_passwords.py > config/common_passwords.txt
"""

MIN = 10

digits = "1234567890"
out = set()


def add(p):
    if len(p) >= MIN:
        out.add(p.lower())


# Digit runs and repeats.
for n in range(MIN, 17):
    add((digits * 2)[:n])                # 1234567890, 12345678901...
    add(("0123456789" * 2)[:n])
    add(("9876543210" * 2)[:n])
    add(("0987654321" * 2)[:n])
    for d in "0123456789":
        add(d * n)
for chunk in ["12", "123", "1234", "12345", "123456", "1234567", "111", "112", "121", "123123",
              "147", "159", "258", "369", "789", "987", "520", "1314", "5201314", "6868", "8888",
              "6789", "4321", "54321", "00", "01", "69", "99", "88", "66"]:
    for times in range(2, 9):
        add(chunk * times)
add("12345678910")
add("1234567891")
add("123456789a")
add("123456789q")
add("1234567890q")
add("1234567890a")
add("0123456789a")
add("147258369")
add("1472583690")
add("1593572580")
add("7894561230")
add("3692581470")
add("9638527410")
add("1478963250")

# Keyboard walks.
walks = ["qwertyuiop", "qwertyuiop[]", "asdfghjkl", "asdfghjkl;", "zxcvbnm,./", "zxcvbnm",
         "1qaz2wsx", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "qazwsxedc", "qazwsxedcrfv", "qweasdzxc",
         "qweasdzxc123", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5", "q1w2e3r4t5y6",
         "zaq12wsx", "zaq1zaq1", "zaq1xsw2", "!qaz2wsx", "1qazxsw2", "qwerty", "qwerty123",
         "qwertyui", "asdfgh", "asdf1234", "qwer1234", "abcd1234", "abc123", "a1b2c3d4e5",
         "a1b2c3d4", "abcdefghij", "abcdefghijk", "abcdefgh", "aaaaaaaaaa", "qqqqqqqqqq",
         "poiuytrewq", "lkjhgfdsa", "mnbvcxz", "1234qwer", "123qwe", "123qweasd", "123qweasdzxc",
         "qwe123", "asd123", "zxc123", "zxcvbnm123", "asdfghjkl123", "qwertyuiop123",
         "1qaz!qaz", "1qaz@wsx", "!qaz@wsx", "!q2w3e4r", "q2w3e4r5", "password", "passw0rd",
         "p@ssw0rd", "p@ssword", "pa55word", "passwd", "matkhau", "m@tkhau", "matkhaumoi",
         "matkhau1", "mk123456", "iloveyou", "ilove you", "iloveu", "admin", "administrator",
         "adminadmin", "root", "toor", "letmein", "welcome", "changeme", "secret", "default",
         "login", "guest", "user", "test", "testtest", "qwerty", "dragon", "monkey", "football",
         "baseball", "soccer", "sunshine", "princess", "superman", "batman", "spiderman",
         "starwars", "master", "shadow", "trustno1", "michael", "jennifer", "charlie",
         "freedom", "whatever", "hello", "helloworld", "loveyou", "lovely", "love", "forever",
         "computer", "internet", "samsung", "iphone", "google", "facebook", "zalo", "youtube",
         "tiktok", "microsoft", "windows", "linux", "ubuntu", "oracle", "mysql", "postgres",
         "server", "system", "database", "network", "manager", "office", "company", "cisco",
         "huawei", "nokia", "xiaomi", "oppo", "vinaphone", "viettel", "mobifone", "vnpt",
         "fpt", "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "anhyeuemnhieu", "emyeuanhnhieu",
         "yeuemmaimai", "yeuanhmaimai", "teoteo", "hoilamgi", "khongbiet", "khongcopass",
         "matkhaucuatoi", "conga", "convit", "concho", "conmeo", "meomeo", "gaugau", "hihihi",
         "hahaha", "hehehe", "huhuhu", "vietnam", "vietnam1", "vietnamvodich", "hanoi",
         "saigon", "hochiminh", "danang", "haiphong", "cantho", "hue", "laocai", "sapa",
         "batxat", "baothang", "baoyen", "bachha", "muongkhuong", "simacai", "vanban",
         "yenbai", "hagiang", "caobang", "langson", "dienbien", "laichau", "sonla", "tuyenquang",
         "thainguyen", "bacninh", "namdinh", "thanhhoa", "nghean", "quangninh", "halong",
         "dalat", "nhatrang", "vungtau", "phuquoc", "ubnd", "ubndxa", "ubndtinh", "ubndhuyen",
         "congan", "quandoi", "dangvien", "canbo", "congchuc", "vanphong", "ketoan", "hanhchinh",
         "motcua", "tiepdan", "doithoai", "phananh", "thanhnien", "doanthanhnien", "hoiphunu",
         "giaoduc", "truonghoc", "hocsinh", "sinhvien", "giaovien", "bacsi", "benhvien",
         "abcxyz", "xinchao", "chaoban", "tambiet", "hanhphuc", "binhan", "maimai", "thienthan",
         "bongbong", "congchua", "hoangtu", "sieunhan", "doremon", "pikachu", "naruto",
         "conan", "lienquan", "freefire", "pubg", "minecraft", "garena", "gunny", "vlcm",
         "abc", "qwe", "asd", "zxc", "aaa", "xxx", "zzz"]
suffixes = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789",
            "1234567890", "!", "!!", "@", "@123", "123!", "123@", "#", "#123", "1!", "01", "007",
            "69", "88", "99", "00", "000", "111", "666", "888", "999", "2k", "vn", "@vn", ".vn",
            "xyz", "abc", "qwe", "a", "x", "@@", "321", "4321", "54321", "000000"]
years = [str(y) for y in range(1960, 2031)]
# The words people reach for most also get a year (of birth, or the current one).
top = ["password", "passw0rd", "p@ssw0rd", "matkhau", "iloveyou", "admin", "anhyeuem",
       "emyeuanh", "yeuem", "yeuanh", "vietnam", "hanoi", "saigon", "laocai", "sapa", "qwerty",
       "abc", "abcd", "welcome", "ubnd", "canbo", "congchuc", "doithoai", "hello", "love"]
for w in walks:
    for s in suffixes:
        add(w + s)
    add(w + w)
for w in top:
    for y in years:
        add(w + y)
        add(w + "@" + y)

# Given names and family names with birth years: the commonest choice after the patterns above.
family = ["nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui",
          "do", "ho", "ngo", "duong", "ly", "dinh", "trinh", "mai", "lo", "giang", "sung", "vang",
          "thao", "hau", "lu", "tao", "ma"]
given = ["anh", "minh", "hung", "dung", "linh", "huong", "lan", "mai", "hoa", "thu", "trang",
         "ngoc", "tuan", "nam", "long", "hai", "son", "thanh", "phuong", "huyen", "ha", "quang",
         "duc", "hieu", "trung", "thao", "hanh", "yen", "nhung", "van", "thuy", "tam", "khanh",
         "vy", "my", "nhi", "an", "binh", "cuong", "dat", "giang", "hoang", "kien", "loan", "phuc",
         "quynh", "tien", "tu", "viet", "xuan"]
for name in given + family:
    for y in years[10:52]:  # born 1970-2011
        add(name + y)
    for s in ["123456", "1234567", "12345678", "123456789", "@123456", "12345", "@12345",
              "@2024", "@2025", "@2026", "yeuem", "yeuanh", "dethuong", "xinhdep", "pro", "vip",
              "9999", "8888", "6868", "1111"]:
        add(name + s)
for f in family[:12]:
    for g in given[:25]:
        add(f + g + "123")

print("# Common passwords, refused by the gateway (ignoring case) when an account's password is")
print("# set or changed. Generated by scripts/common_passwords.py from well-known patterns; edit")
print("# the script, not this file. One password a line; lines starting with # are comments.")
for p in sorted(out):
    print(p)
