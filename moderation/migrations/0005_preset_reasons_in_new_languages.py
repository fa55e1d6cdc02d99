"""The preset reasons' labels in Bahasa Melayu, Vietnamese, Thai, Japanese, Korean and Simplified
Chinese. A label staff have already written in a language is kept."""

from django.db import migrations
from django.db.models import Q

LABELS = {
    "meets-rules": {
        "ms": "Mematuhi peraturan",
        "vi": "Tuân thủ quy định",
        "th": "เป็นไปตามกฎ",
        "ja": "ルールに適合",
        "ko": "규칙에 맞음",
        "zh_hans": "符合规则",
    },
    "spam": {
        "ms": "Spam atau iklan",
        "vi": "Thư rác hoặc quảng cáo",
        "th": "สแปมหรือโฆษณา",
        "ja": "スパム・広告",
        "ko": "스팸 또는 광고",
        "zh_hans": "垃圾信息或广告",
    },
    "abusive": {
        "ms": "Kesat atau berunsur kebencian",
        "vi": "Lăng mạ hoặc kích động thù ghét",
        "th": "หยาบคายหรือแสดงความเกลียดชัง",
        "ja": "暴言・差別的な内容",
        "ko": "모욕적이거나 혐오를 조장함",
        "zh_hans": "辱骂或仇恨内容",
    },
    "personal-information": {
        "ms": "Mengandungi maklumat peribadi",
        "vi": "Chứa thông tin cá nhân",
        "th": "มีข้อมูลส่วนบุคคล",
        "ja": "個人情報を含む",
        "ko": "개인정보 포함",
        "zh_hans": "包含个人信息",
    },
    "off-topic": {
        "ms": "Luar topik",
        "vi": "Lạc đề",
        "th": "ไม่ตรงประเด็น",
        "ja": "話題と無関係",
        "ko": "주제와 무관함",
        "zh_hans": "偏离主题",
    },
    "duplicate": {
        "ms": "Pendua",
        "vi": "Trùng lặp",
        "th": "ซ้ำ",
        "ja": "重複",
        "ko": "중복",
        "zh_hans": "重复",
    },
    "illegal": {
        "ms": "Kandungan menyalahi undang-undang",
        "vi": "Nội dung vi phạm pháp luật",
        "th": "เนื้อหาที่ผิดกฎหมาย",
        "ja": "違法な内容",
        "ko": "불법 콘텐츠",
        "zh_hans": "违法内容",
    },
    "other": {
        "ms": "Lain-lain",
        "vi": "Khác",
        "th": "อื่น ๆ",
        "ja": "その他",
        "ko": "기타",
        "zh_hans": "其他",
    },
}


def add_labels(apps, schema_editor):
    Reason = apps.get_model("moderation", "ModerationReason")
    for code, labels in LABELS.items():
        for language, label in labels.items():
            column = f"label_{language}"
            empty = Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
            Reason.objects.filter(empty, code=code).update(**{column: label})


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0004_reason_labels_in_every_language"),
    ]

    operations = [
        migrations.RunPython(add_labels, migrations.RunPython.noop),
    ]
