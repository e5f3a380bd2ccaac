#!/usr/bin/env python3
"""Generates config/dialogue.json from the reference TSVs in ../shared/data.

Usage: tools/gen_dialogue_config.py COMMUNES.tsv FORMER.tsv > config/dialogue.json

The generated file is committed: the build never runs this script. Everything that is policy
(levels, topics, schedule rules, explicit sessions, urgent keywords) is written here once so
that regenerating after a change in the reference data keeps it; edit it here, not in the JSON.
"""
import csv
import json
import re
import sys
import unicodedata


def nfc(s):
    return unicodedata.normalize("NFC", s.strip())


def split_code(text):
    """'Huyện Bảo Thắng (086)' -> ('Huyện Bảo Thắng', '086')."""
    m = re.fullmatch(r"(.*?)\s*\((\d+)\)", nfc(text))
    if not m:
        raise SystemExit(f"no code in {text!r}")
    name = m.group(1)
    # The source spells "Thị Xã" and "Thị xã" for the same district; keep one spelling.
    name = re.sub(r"^Thị Xã ", "Thị xã ", name)
    return name, m.group(2)


NOTES = {"Nhập toàn bộ": "merged", "Giữ nguyên": "kept"}


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def main():
    communes = read_tsv(sys.argv[1])
    former = read_tsv(sys.argv[2])
    units = []
    by_code = {}
    for row in communes:
        unit = {"code": row["code"], "name": nfc(row["name"]), "type": row["type"],
                "level": "commune", "former": []}
        units.append(unit)
        by_code[unit["code"]] = unit
    for row in former:
        unit = by_code.get(row["new_code"])
        if unit is None or unit["name"] != nfc(row["new_name"]):
            raise SystemExit(f"former unit row points at unknown unit: {row}")
        district, district_code = split_code(row["former_district"])
        province, province_code = split_code(row["former_province"])
        unit["former"].append({
            "code": row["former_code"], "name": nfc(row["former_name"]),
            "district": district, "district_code": district_code,
            "province": province, "province_code": province_code,
            "note": NOTES[nfc(row["note"])],
        })
    for u in units:
        if not u["former"]:
            raise SystemExit(f"unit without former units: {u['code']}")

    # Topics and the levels that hear them, preferred level first. Socio-economic matters are
    # local (commune first, the province hears what the commune cannot settle); the Party
    # congress and training/recruitment are provincial decisions (plan 132-KH/TU).
    def topic(tid, vi, en, levels, group=None, words=None):
        t = {"id": tid, "name_vi": vi, "name_en": en, "levels": levels}
        if group:
            t["group"] = group
        if words:
            t["words"] = words
        return t

    # What citizens write about each topic, for reading a first message (dialogue/reader.hpp).
    # Words are matched folded (no diacritics), with teencode expanded and one typo allowed in
    # a word of 5+ letters; where the citizen typed diacritics they must agree. A phrase may
    # belong to one topic only; longer phrases take their words first ("nước thải" before
    # "nước"). Infrastructure (electricity, water supply) is heard with roads, as the flow's
    # topic button says.
    words = {
        "roads": {
            "vi": ["đường", "con đường", "đường sá", "đường giao thông", "đường làng",
                   "đường liên thôn", "đường liên xã", "đường bê tông", "đường đất", "mặt đường",
                   "ổ gà", "ổ voi", "lầy lội", "cầu", "cầu treo", "cầu tràn", "cống",
                   "cống thoát nước", "rãnh thoát nước", "giao thông", "xe khách", "xe buýt",
                   "bến xe", "biển báo", "đèn đường", "đèn chiếu sáng", "chiếu sáng", "điện",
                   "mất điện", "cắt điện", "điện yếu", "cột điện", "đường dây điện", "lưới điện",
                   "trạm biến áp", "điện lực", "tiền điện", "nước sạch", "nước sinh hoạt",
                   "mất nước", "thiếu nước", "đường ống nước", "cấp nước", "hạ tầng",
                   "sạt lở", "sạt lở đất", "sạt taluy", "bị sạt", "lở đất", "sụt lở", "sụt lở đất", "sụt lún",
                   "đất đá", "nhà văn hóa", "nhà văn hoá", "xe quá tải", "xe tải",
                   "tai nạn giao thông", "an toàn giao thông", "vỉa hè", "lòng đường",
                   "sóng điện thoại", "mạng di động", "internet", "ngập đường", "đường trơn",
                   "ngập", "ngập lụt", "ngập úng", "lũ", "lũ quét", "lũ ống", "không có nước",
                   "không có điện", "nước lên"],
            "en": ["road", "roads", "street", "bridge", "pothole", "potholes", "culvert", "drain",
                   "drainage", "traffic", "bus", "street light", "street lights", "electricity",
                   "power cut", "power outage", "blackout", "water supply", "clean water",
                   "tap water", "no water", "landslide", "pavement", "sidewalk", "mobile signal"],
        },
        "land": {
            "vi": ["đất", "đất đai", "đất ở", "đất nông nghiệp", "đất rừng", "sổ đỏ", "sổ hồng",
                   "bìa đỏ", "giấy chứng nhận quyền sử dụng đất", "quyền sử dụng đất", "cấp sổ",
                   "tranh chấp đất", "tranh chấp", "lấn chiếm", "lấn chiếm đất",
                   "giải phóng mặt bằng", "giải tỏa", "đền bù", "bồi thường", "thu hồi đất",
                   "tái định cư", "quy hoạch", "chuyển mục đích sử dụng đất", "đo đạc",
                   "địa chính", "ranh giới đất", "mốc giới", "xây dựng trái phép",
                   "xây nhà trái phép", "lấn đất"],
            "en": ["land", "land title", "land certificate", "red book", "land dispute",
                   "compensation", "resettlement", "land clearance", "eviction", "encroachment",
                   "zoning", "boundary"],
        },
        "agriculture": {
            "vi": ["nông nghiệp", "lâm nghiệp", "cây trồng", "vật nuôi", "chăn nuôi", "gia súc",
                   "gia cầm", "trâu bò", "nuôi lợn", "chuồng lợn", "dịch tả lợn",
                   "dịch bệnh gia súc", "thú y", "phân bón", "cây giống", "con giống", "giống cây", "giống lúa",
                   "lúa", "trồng ngô", "cây ngô", "trồng chè", "đồi chè", "cây quế", "trồng quế", "cây ăn quả", "thuốc trừ sâu", "sâu bệnh",
                   "mất mùa", "thủy lợi", "kênh mương", "mương thủy lợi", "tưới tiêu", "ruộng",
                   "nương rẫy", "rừng", "trồng rừng", "bảo vệ rừng", "khuyến nông",
                   "hợp tác xã", "nông sản", "tiêu thụ nông sản", "giá nông sản", "ao cá",
                   "nuôi cá", "rét hại", "mương", "giá quế", "bán quế", "thương lái", "ép giá",
                   "trồng rau", "rau"],
            "en": ["farming", "farm", "farmer", "farmers", "crops", "crop", "livestock", "cattle",
                   "pigs", "swine fever", "fertilizer", "fertiliser", "seeds", "rice", "maize",
                   "corn", "tea", "irrigation", "forestry", "veterinary", "harvest"],
        },
        "jobs": {
            "vi": ["việc làm", "thất nghiệp", "không có việc", "tìm việc", "thu nhập", "lương",
                   "tiền lương", "chậm lương", "nợ lương", "trả lương", "tăng lương",
                   "xuất khẩu lao động", "lao động", "người lao động", "công nhân",
                   "hợp đồng lao động", "bảo hiểm xã hội", "bảo hiểm thất nghiệp", "học nghề",
                   "đào tạo nghề", "khu công nghiệp", "tuyển lao động", "tăng ca",
                   "an toàn lao động", "sa thải", "nghỉ việc"],
            "en": ["job", "jobs", "work", "unemployment", "unemployed", "income", "wage", "wages",
                   "salary", "unpaid wages", "labour", "labor", "workers", "worker", "factory",
                   "employment contract", "overtime", "laid off", "vocational training"],
        },
        "security": {
            "vi": ["an ninh", "trật tự", "an ninh trật tự", "quốc phòng", "trộm", "trộm cắp",
                   "mất trộm", "kẻ trộm", "cướp", "cướp giật", "trộm chó", "cờ bạc", "đánh bạc",
                   "lô đề", "ma túy", "ma tuý", "nghiện", "nghiện hút", "đánh nhau", "gây rối",
                   "côn đồ", "say rượu", "công an", "công an xã", "tệ nạn", "tệ nạn xã hội",
                   "buôn bán người", "lừa đảo", "vay nặng lãi", "tín dụng đen", "bạo lực",
                   "bạo lực gia đình", "đua xe", "vũ khí", "pháo", "hát karaoke", "dụ dỗ",
                   "người lạ"],
            "en": ["crime", "theft", "thief", "thieves", "stolen", "robbery", "gambling", "drugs",
                   "drug", "addicts", "police", "fighting", "violence", "domestic violence",
                   "fraud", "scam", "loan sharks", "security", "public order", "racing"],
        },
        "party_building": {
            "vi": ["xây dựng đảng", "đảng viên", "chi bộ", "đảng ủy", "đảng uỷ",
                   "công chức", "hệ thống chính trị", "tham nhũng",
                   "tiêu cực", "hách dịch", "nhũng nhiễu", "quan liêu", "thái độ phục vụ",
                   "mặt trận", "đoàn thể", "hội phụ nữ", "đoàn thanh niên", "hội nông dân",
                   "tinh gọn bộ máy", "sáp nhập", "sắp xếp bộ máy", "cán bộ hách dịch",
                   "cán bộ nhũng nhiễu", "cán bộ tiêu cực"],
            "en": ["party members", "officials", "corruption", "bribe", "bribery",
                   "rude officials", "civil servants", "bureaucracy", "local government",
                   "political system", "merger"],
        },
        "party_congress": {
            "vi": ["đại hội", "đại hội đảng", "đại hội đảng bộ", "góp ý đại hội", "văn kiện",
                   "văn kiện đại hội", "dự thảo văn kiện", "nghị quyết đại hội", "kỳ vọng",
                   "nhân sự đại hội", "bầu cử"],
            "en": ["party congress", "congress", "draft documents", "congress documents",
                   "election"],
        },
        "education": {
            "vi": ["giáo dục", "trường học", "nhà trường", "trường mầm non", "trường tiểu học",
                   "trường thcs", "trường thpt", "trường cấp 1", "trường cấp 2", "trường cấp 3",
                   "mầm non", "mẫu giáo", "tiểu học", "lớp học", "học sinh", "sinh viên",
                   "giáo viên", "cô giáo", "thầy giáo", "học phí", "sách giáo khoa", "bán trú",
                   "nội trú", "điểm trường", "phòng học", "bàn ghế", "học bổng", "đào tạo",
                   "tuyển dụng", "tuyển dụng công chức", "thi tuyển", "viên chức", "cao đẳng",
                   "đại học", "dạy thêm", "đi học", "bỏ học", "các cháu đi học", "điểm thi",
                   "kỳ thi", "thi cử"],
            "en": ["school", "schools", "teacher", "teachers", "students", "pupils", "tuition",
                   "tuition fees", "kindergarten", "textbooks", "scholarship", "training",
                   "recruitment", "college", "university", "boarding school"],
        },
        "health": {
            "vi": ["y tế", "trạm y tế", "bệnh viện", "phòng khám", "khám bệnh", "khám chữa bệnh",
                   "chữa bệnh", "bác sĩ", "bác sỹ", "y sĩ", "y bác sĩ", "nhân viên y tế", "thuốc men",
                   "cấp thuốc", "thiếu thuốc", "mua thuốc", "tiền thuốc", "bảo hiểm y tế", "thẻ bảo hiểm y tế", "bhyt",
                   "tiêm chủng", "tiêm phòng", "vắc xin", "vacxin", "dịch bệnh", "sốt xuất huyết",
                   "sốt rét", "ốm", "bệnh", "người bệnh", "cấp cứu", "xe cứu thương",
                   "sinh đẻ", "thai sản", "an toàn thực phẩm", "ngộ độc", "ngộ độc thực phẩm",
                   "trung tâm y tế", "khám"],
            "en": ["hospital", "clinic", "health", "health centre", "health center", "doctor",
                   "doctors", "nurse", "medicine", "medicines", "health insurance",
                   "vaccination", "vaccine", "disease", "sick", "ambulance", "food poisoning",
                   "dengue", "malaria"],
        },
        "environment": {
            "vi": ["môi trường", "rác", "rác thải", "thu gom rác", "bãi rác", "xử lý rác",
                   "ô nhiễm", "ô nhiễm môi trường", "ô nhiễm nguồn nước", "khói bụi", "bụi",
                   "khói đen", "mùi hôi", "hôi thối", "nước thải", "xả thải", "chất thải",
                   "tiếng ồn", "ồn ào", "khai thác khoáng sản", "khai thác cát", "khai thác đá",
                   "khai thác trái phép", "phá rừng", "chặt phá rừng", "cây xanh",
                   "vệ sinh môi trường", "nghĩa trang", "thuốc bảo vệ thực vật",
                   "xác động vật", "bãi tập kết", "cát sỏi", "chuồng trại", "bùn thải", "hồ chứa bùn thải",
                   "đập chứa bùn thải", "bãi thải"],
            "en": ["pollution", "polluted", "waste", "rubbish", "garbage", "trash", "litter",
                   "dump", "landfill", "smell", "stink", "sewage", "wastewater", "dust", "smoke",
                   "noise", "mining", "sand mining", "deforestation", "logging"],
        },
        "social_policy": {
            "vi": ["chính sách", "chính sách xã hội", "hộ nghèo", "hộ cận nghèo", "cận nghèo",
                   "nghèo", "trợ cấp", "trợ cấp xã hội", "phụ cấp", "người có công",
                   "thương binh", "liệt sĩ", "gia đình chính sách", "bảo trợ xã hội",
                   "người khuyết tật", "khuyết tật", "người cao tuổi", "người già", "lương hưu",
                   "hưu trí", "mồ côi", "trẻ mồ côi", "tiền hỗ trợ", "hỗ trợ nhà ở",
                   "chính sách hỗ trợ", "xóa nhà tạm", "xoá nhà tạm", "nhà tạm", "nhà dột nát",
                   "nhà ở xã hội", "gạo cứu đói", "cứu trợ", "chế độ chính sách", "vay vốn",
                   "ngân hàng chính sách", "dân tộc thiểu số", "đồng bào", "bình đẳng giới"],
            "en": ["poverty", "poor household", "poor households", "benefits", "allowance",
                   "subsidy", "welfare", "disabled", "disability", "elderly", "pension",
                   "orphans", "veterans", "war invalids", "housing support", "social housing",
                   "ethnic minority", "minorities", "relief"],
        },
        "admin_procedures": {
            "vi": ["thủ tục", "thủ tục hành chính", "giấy tờ", "hồ sơ", "công chứng",
                   "chứng thực", "một cửa", "bộ phận một cửa", "cấp giấy", "giấy khai sinh",
                   "khai sinh", "khai tử", "đăng ký kết hôn", "căn cước", "căn cước công dân",
                   "cccd", "chứng minh nhân dân", "hộ khẩu", "tạm trú", "thường trú", "cư trú",
                   "dịch vụ công", "dịch vụ công trực tuyến", "cổng dịch vụ công", "giấy phép",
                   "giấy phép xây dựng", "xác nhận", "trả hồ sơ", "lệ phí", "phiền hà",
                   "định danh điện tử", "vneid", "sao y", "làm giấy"],
            "en": ["paperwork", "documents", "document", "permit", "permits",
                   "birth certificate", "marriage registration", "id card", "identity card",
                   "residence registration", "notarization", "online public services", "fees",
                   "application", "certificate"],
        },
    }

    se = "socio_economic"
    topics = [
        topic("roads", "Giao thông, đường sá", "Roads and transport", ["commune", "province"], se,
              words["roads"]),
        topic("land", "Đất đai", "Land", ["commune", "province"], se, words["land"]),
        topic("agriculture", "Nông nghiệp, lâm nghiệp", "Agriculture and forestry",
              ["commune", "province"], se, words["agriculture"]),
        topic("jobs", "Việc làm, thu nhập", "Jobs and income",
              ["commune", "agency", "province"], se, words["jobs"]),
        topic("security", "Quốc phòng, an ninh, trật tự", "Defence, security and public order",
              ["commune", "province"], words=words["security"]),
        topic("party_building", "Xây dựng Đảng và hệ thống chính trị",
              "Building the Party and the political system", ["commune", "province"],
              words=words["party_building"]),
        topic("party_congress", "Kỳ vọng đối với Đại hội Đảng",
              "Expectations of the Party congresses", ["province"],
              words=words["party_congress"]),
        topic("education", "Giáo dục, đào tạo, tuyển dụng", "Education, training and recruitment",
              ["province", "commune"], words=words["education"]),
        topic("health", "Y tế", "Health", ["commune", "agency", "province"],
              words=words["health"]),
        topic("environment", "Môi trường", "Environment", ["commune", "province"],
              words=words["environment"]),
        topic("social_policy", "Chính sách xã hội", "Social policy",
              ["commune", "agency", "province"], words=words["social_policy"]),
        topic("admin_procedures", "Thủ tục hành chính", "Administrative procedures",
              ["commune", "province"], words=words["admin_procedures"]),
        # Never inferred: the citizen picks it.
        topic("other", "Vấn đề khác", "Other matters", ["commune", "province"]),
    ]

    # How a first message is read: greetings, questions about the service, status questions,
    # and what makes a message a problem (dialogue/reader.hpp).
    reading = {
        "greeting": {
            "vi": ["xin chào", "chào", "chào bạn", "chào anh", "chào chị", "chào em", "alo",
                   "a lô", "alô", "có ai không", "có ai ở đó không", "có ai ko", "hello", "hi",
                   "cảm ơn", "cám ơn", "ok", "vâng", "dạ", "ừ", "bắt đầu", "start"],
            "en": ["hello", "hey", "good morning", "good afternoon", "good evening",
                   "anyone there", "is anyone there", "thanks", "thank you"],
        },
        "filler": {
            "vi": ["ạ", "ơi", "à", "nhé", "nha", "nhỉ", "ad", "admin", "bạn", "anh", "chị", "em",
                   "mình", "tôi", "vậy", "với", "hả", "bot"],
            "en": ["there", "please"],
        },
        "about": {
            "vi": ["đối thoại", "buổi đối thoại", "lịch đối thoại", "hội nghị đối thoại",
                   "khi nào đối thoại", "lịch tiếp dân", "kênh này", "trang này",
                   "dùng thế nào", "sử dụng thế nào", "hướng dẫn", "hỏi về", "cách gửi"],
            "en": ["dialogue", "dialogue session", "session", "sessions", "meeting", "meetings",
                   "schedule", "how does this work", "what is this", "how to use"],
        },
        "status": {
            "vi": ["tra cứu", "tra cứu phản ánh", "kiểm tra", "kiểm tra phản ánh", "mã số",
                   "mã phản ánh", "xem trả lời", "trả lời chưa", "đã trả lời chưa",
                   "có trả lời chưa", "kết quả", "kết quả xử lý", "tình trạng", "tiến độ"],
            "en": ["status", "check", "check status", "reference", "any answer", "answer yet",
                   "result", "progress", "track"],
        },
        "problem": {
            "vi": ["bị", "hỏng", "hư", "hư hỏng", "xuống cấp", "không có", "không được",
                   "chưa có", "chưa được", "chậm", "thiếu", "mất", "bị vỡ", "tắc nghẽn", "tắc đường",
                   "gãy", "nứt", "ngập", "lầy", "lún", "bẩn", "ồn",
                   "nguy hiểm", "ảnh hưởng", "gây", "khó khăn", "bức xúc", "bỏ hoang",
                   "dở dang", "bỏ dở", "không đảm bảo", "quá tải", "sai", "trái phép",
                   "không đúng", "mãi không", "từ lâu", "tại sao", "vì sao", "bao giờ"],
            "en": ["broken", "damaged", "not working", "not", "never", "missing", "blocked",
                   "flooded", "dirty", "dangerous", "problem", "problems", "issue", "why",
                   "when will", "complaint", "complain", "fix", "repair", "leaking", "cracked",
                   "collapsed", "delayed", "unpaid", "illegal"],
        },
        # Words that mark a message without diacritics as English. None of them is a common
        # Vietnamese word typed without marks ("the" is "thế", "to" is "tô", "no" is "nợ").
        "english": ["is", "are", "was", "were", "my", "our", "we", "there", "this", "that",
                    "and", "not", "please", "for", "with", "has", "have", "been", "near",
                    "village", "commune", "district", "road", "school", "why", "when", "who",
                    "what", "how", "hello", "hey", "of", "since", "very", "broken", "water",
                    "electricity", "hospital", "police", "will", "would", "should", "help",
                    "need", "anyone", "thanks", "thank", "you", "your", "from", "they", "their",
                    "because", "about", "still", "street", "bridge"],
        # Names that are also common words or larger places: in a message they need a prefix.
        "common_names": ["Trung Tâm", "Hạnh Phúc", "Phúc Lợi", "Yên Bình", "Lào Cai",
                         "Yên Bái", "Khánh Hòa", "Thống Nhất", "Bình Minh", "Tân Tiến",
                         "Đồng Tâm", "Thanh Bình", "An Bình", "Liên Minh", "Hồng Hà", "Tân Lập",
                         "Hoàng Liên", "Hàm Rồng", "Phan Si Păng", "Mỏ Vàng", "Quang Minh",
                         "Nguyễn Thái Học", "Minh Tiến", "Việt Tiến", "Hợp Thành", "Vạn Hòa"],
    }

    doc = {
        "version": 1,
        "valid_from": "2025-07-01",
        "utc_offset_minutes": 420,
        "reference_prefix": "LC",
        "province": {"code": "15", "name": "Tỉnh Lào Cai", "name_en": "Lao Cai Province"},
        "levels": [
            {"id": "province", "name_vi": "Cấp tỉnh", "name_en": "Province", "scope": "province",
             "remind_days_before": 5},
            {"id": "commune", "name_vi": "Cấp xã", "name_en": "Commune and ward", "scope": "unit",
             "remind_days_before": 3},
            {"id": "agency", "name_vi": "Cơ quan, tổ chức, doanh nghiệp",
             "name_en": "Agencies, organisations and enterprises", "scope": "organisation",
             "remind_days_before": 3},
        ],
        "units": units,
        "organisations": [
            {"id": "apatit", "name": "Công ty TNHH MTV Apatit Việt Nam",
             "name_en": "Vietnam Apatite Company (state mine)"},
        ],
        "audiences": [
            {"id": "students_teachers",
             "name_vi": "Học sinh, sinh viên, giảng viên các trường cao đẳng",
             "name_en": "College students and teachers",
             # What a citizen says of themselves: routed with the audience (themed sessions).
             "words": {"vi": ["sinh viên", "học sinh", "giảng viên", "giáo viên", "học viên",
                              "trường cao đẳng", "ký túc xá"],
                       "en": ["student", "students", "teacher", "lecturer"]}},
            {"id": "apatit_workers", "name_vi": "Người lao động Công ty Apatit Việt Nam",
             "name_en": "Workers of the Apatit mine",
             "words": {"vi": ["công nhân apatit", "công ty apatit", "mỏ apatit", "thợ mỏ",
                              "lao động apatit", "người lao động apatit"],
                       "en": ["apatit worker", "apatite mine", "miner"]}},
        ],
        "topics": topics,
        "reading": reading,
        "schedule": {
            "cutoff_days": 7,
            "horizon_months": 15,
            "rules": [
                {"level": "province", "months": [4, 10],
                 "venue": "Hội trường Tỉnh ủy Lào Cai",
                 "title_vi": "Đối thoại của Ban Thường vụ Tỉnh ủy với Nhân dân",
                 "title_en": "Provincial standing committee meets citizens"},
                {"level": "commune", "months": [3, 6, 9, 12],
                 "venue": "Hội trường UBND {name}",
                 "title_vi": "Đối thoại trực tiếp với Nhân dân {name}",
                 "title_en": "Direct dialogue with the residents of {name}"},
            ],
            "sessions": [
                {"level": "province", "locality": "15", "date": "2026-04-16",
                 "venue": "Trường Cao đẳng Lào Cai", "audience": "students_teachers",
                 "topics": ["education", "jobs", "admin_procedures"],
                 "title_vi": "Đối thoại với học sinh, sinh viên, giảng viên: đào tạo, "
                             "tuyển dụng công chức",
                 "title_en": "Dialogue with college students and teachers: training and "
                             "civil-service recruitment"},
                {"level": "agency", "locality": "apatit", "date": "2027-01-22",
                 "venue": "Hội trường Công ty Apatit Việt Nam", "audience": "apatit_workers",
                 "topics": ["jobs", "health", "social_policy", "other"],
                 "title_vi": "Hội nghị người lao động Công ty Apatit Việt Nam năm 2027",
                 "title_en": "Apatit mine workers' conference 2027"},
            ],
            "changes": [],
        },
        "urgent": {
            # Folded matching of whole words; see dialogue/concern.hpp.
            "keywords": ["sạt lở", "sạt lở đất", "lở đất", "lũ", "lũ quét", "lũ ống", "ngập",
                         "ngập lụt", "lụt", "cháy", "cháy rừng", "hỏa hoạn", "sập", "sập nhà",
                         "đổ sập", "sụt lún", "sụt lở", "nứt nhà", "vỡ đập", "vỡ đê", "điện giật",
                         "đá lăn", "nguy hiểm đến tính mạng", "cột điện đổ", "đổ cột điện",
                         "dây điện đứt", "đứt dây điện", "cây đổ", "cầu sập", "sập cầu",
                         "đuối nước"],
            "hotline": "112",
            "message_vi": "Nếu có nguy hiểm đến tính mạng hoặc tài sản, hãy gọi ngay 112 "
                          "(cứu nạn), 114 (cứu hỏa) hoặc 113 (công an). Ý kiến của bạn vẫn "
                          "được ghi nhận.",
            "message_en": "If life or property is in danger, call 112 (rescue), 114 (fire) "
                          "or 113 (police) now. Your concern is still recorded.",
        },
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
