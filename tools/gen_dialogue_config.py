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
    def topic(tid, vi, en, levels, group=None):
        t = {"id": tid, "name_vi": vi, "name_en": en, "levels": levels}
        if group:
            t["group"] = group
        return t

    se = "socio_economic"
    topics = [
        topic("roads", "Giao thông, đường sá", "Roads and transport", ["commune", "province"], se),
        topic("land", "Đất đai", "Land", ["commune", "province"], se),
        topic("agriculture", "Nông nghiệp, lâm nghiệp", "Agriculture and forestry",
              ["commune", "province"], se),
        topic("jobs", "Việc làm, thu nhập", "Jobs and income",
              ["commune", "agency", "province"], se),
        topic("security", "Quốc phòng, an ninh, trật tự", "Defence, security and public order",
              ["commune", "province"]),
        topic("party_building", "Xây dựng Đảng và hệ thống chính trị",
              "Building the Party and the political system", ["commune", "province"]),
        topic("party_congress", "Kỳ vọng đối với Đại hội Đảng",
              "Expectations of the Party congresses", ["province"]),
        topic("education", "Giáo dục, đào tạo, tuyển dụng", "Education, training and recruitment",
              ["province", "commune"]),
        topic("health", "Y tế", "Health", ["commune", "agency", "province"]),
        topic("environment", "Môi trường", "Environment", ["commune", "province"]),
        topic("social_policy", "Chính sách xã hội", "Social policy",
              ["commune", "agency", "province"]),
        topic("admin_procedures", "Thủ tục hành chính", "Administrative procedures",
              ["commune", "province"]),
        topic("other", "Vấn đề khác", "Other matters", ["commune", "province"]),
    ]

    doc = {
        "version": 1,
        "valid_from": "2025-07-01",
        "utc_offset_minutes": 420,
        "reference_prefix": "LC",
        "province": {"code": "15", "name": "Tỉnh Lào Cai", "name_en": "Lao Cai Province"},
        "levels": [
            {"id": "province", "name_vi": "Cấp tỉnh", "name_en": "Province", "scope": "province"},
            {"id": "commune", "name_vi": "Cấp xã", "name_en": "Commune and ward", "scope": "unit"},
            {"id": "agency", "name_vi": "Cơ quan, tổ chức, doanh nghiệp",
             "name_en": "Agencies, organisations and enterprises", "scope": "organisation"},
        ],
        "units": units,
        "organisations": [
            {"id": "apatit", "name": "Công ty TNHH MTV Apatit Việt Nam",
             "name_en": "Vietnam Apatite Company (state mine)"},
        ],
        "audiences": [
            {"id": "students_teachers",
             "name_vi": "Học sinh, sinh viên, giảng viên các trường cao đẳng",
             "name_en": "College students and teachers"},
            {"id": "apatit_workers", "name_vi": "Người lao động Công ty Apatit Việt Nam",
             "name_en": "Workers of the Apatit mine"},
        ],
        "topics": topics,
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
                         "đổ sập", "sụt lún", "nứt nhà", "vỡ đập", "vỡ đê", "điện giật",
                         "đá lăn", "nguy hiểm đến tính mạng"],
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
