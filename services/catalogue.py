"""The starter service catalogue: what a city usually takes reports about.

``seed_demo`` loads it, and a new city can load it with ``catalogue_load()`` and then
edit it in the admin, where each language has its own tab.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from services.models import AttributeValue, Service, ServiceAttribute

# Every text is given in each site language (settings.LANGUAGES) by its code; the load writes
# each into its column (services/translation.py). A plain string (a brand's name) is the same
# in every language: it is written in English, which the other languages fall back to.
Texts = dict[str, str]

OPERATORS: list[tuple[str, str]] = [("bikeshare-a", "Kring Bike"), ("scoot-b", "Zoom Scooters")]
VEHICLE_KINDS: list[tuple[str, Texts]] = [
    (
        "bicycle",
        {
            "en": "Bicycle",
            "id": "Sepeda",
            "ms": "Basikal",
            "vi": "Xe đạp",
            "th": "จักรยาน",
            "ja": "自転車",
            "ko": "자전거",
            "zh-hans": "自行车",
        },
    ),
    (
        "scooter",
        {
            "en": "E-scooter",
            "id": "Skuter listrik",
            "ms": "Skuter elektrik",
            "vi": "Xe scooter điện",
            "th": "สกู๊ตเตอร์ไฟฟ้า",
            "ja": "電動キックボード",
            "ko": "전동 킥보드",
            "zh-hans": "电动滑板车",
        },
    ),
    (
        "moped",
        {
            "en": "Moped",
            "id": "Moped",
            "ms": "Moped",
            "vi": "Xe gắn máy",
            "th": "รถจักรยานยนต์ขนาดเล็ก",
            "ja": "原動機付自転車",
            "ko": "소형 오토바이(모페드)",
            "zh-hans": "轻便摩托车",
        },
    ),
]
YES_NO: list[tuple[str, Texts]] = [
    (
        "yes",
        {"en": "Yes", "id": "Ya", "ms": "Ya", "vi": "Có", "th": "ใช่", "ja": "はい", "ko": "예", "zh-hans": "是"},
    ),
    (
        "no",
        {
            "en": "No",
            "id": "Tidak",
            "ms": "Tidak",
            "vi": "Không",
            "th": "ไม่ใช่",
            "ja": "いいえ",
            "ko": "아니요",
            "zh-hans": "否",
        },
    ),
]

MOBILITY: Texts = {
    "en": "Mobility",
    "id": "Mobilitas",
    "ms": "Mobiliti",
    "vi": "Giao thông",
    "th": "การเดินทาง",
    "ja": "交通",
    "ko": "교통",
    "zh-hans": "交通出行",
}
ROADS: Texts = {
    "en": "Roads",
    "id": "Jalan",
    "ms": "Jalan raya",
    "vi": "Đường sá",
    "th": "ถนน",
    "ja": "道路",
    "ko": "도로",
    "zh-hans": "道路",
}
LIGHTING: Texts = {
    "en": "Lighting",
    "id": "Penerangan",
    "ms": "Pencahayaan",
    "vi": "Chiếu sáng",
    "th": "ไฟส่องสว่าง",
    "ja": "照明",
    "ko": "조명",
    "zh-hans": "照明",
}
CLEANLINESS: Texts = {
    "en": "Cleanliness",
    "id": "Kebersihan",
    "ms": "Kebersihan",
    "vi": "Vệ sinh môi trường",
    "th": "ความสะอาด",
    "ja": "清掃",
    "ko": "청결",
    "zh-hans": "环境卫生",
}

CATALOGUE = [
    {
        "service_code": "abandoned-vehicle",
        "name": {
            "en": "Abandoned share-bike or e-scooter",
            "id": "Sepeda atau skuter sewa terbengkalai",
            "ms": "Basikal atau skuter elektrik kongsi terbiar",
            "vi": "Xe đạp hoặc xe scooter điện dùng chung bị bỏ lại",
            "th": "จักรยานหรือสกู๊ตเตอร์ไฟฟ้าให้เช่าถูกทิ้ง",
            "ja": "放置されたシェアサイクル・電動キックボード",
            "ko": "방치된 공유 자전거 또는 전동 킥보드",
            "zh-hans": "被遗弃的共享单车或电动滑板车",
        },
        "description": {
            "en": "A shared bike or e-scooter left abandoned, broken or blocking the way.",
            "id": "Sepeda atau skuter listrik sewa yang ditinggalkan, rusak, atau menghalangi jalan.",
            "ms": "Basikal atau skuter elektrik kongsi yang ditinggalkan, rosak atau menghalang laluan.",
            "vi": "Xe đạp hoặc xe scooter điện dùng chung bị bỏ lại, hư hỏng hoặc cản đường.",
            "th": "จักรยานหรือสกู๊ตเตอร์ไฟฟ้าให้เช่าที่ถูกทิ้งไว้ ชำรุด หรือกีดขวางทาง",
            "ja": "放置されている、壊れている、または通行の妨げになっているシェアサイクルや電動キックボード。",
            "ko": "방치되었거나 고장 났거나 통행을 막고 있는 공유 자전거 또는 전동 킥보드.",
            "zh-hans": "被遗弃、损坏或阻挡通行的共享单车或电动滑板车。",
        },
        "group": MOBILITY,
        "keywords": "bike, bicycle, scooter, e-scooter, share, sepeda, skuter",
        "is_micromobility": True,
        "response_days": 3,
        "agency_responsible": "Dinas Perhubungan",
        "attributes": [
            (
                "operator",
                "singlevaluelist",
                False,
                {
                    "en": "Which operator's vehicle is it? (leave empty if you are not sure)",
                    "id": "Kendaraan operator mana? (kosongkan jika tidak yakin)",
                    "ms": "Kenderaan pengendali mana? (biarkan kosong jika tidak pasti)",
                    "vi": "Xe của đơn vị vận hành nào? (để trống nếu bạn không chắc)",
                    "th": "เป็นยานพาหนะของผู้ให้บริการรายใด (เว้นว่างไว้หากไม่แน่ใจ)",
                    "ja": "どの事業者の車両ですか？（わからない場合は空欄のままで構いません）",
                    "ko": "어느 운영사의 차량인가요? (잘 모르면 비워 두세요)",
                    "zh-hans": "这是哪家运营商的车辆？（不确定可留空）",
                },
                OPERATORS,
            ),
            (
                "vehicle_type",
                "singlevaluelist",
                False,
                {
                    "en": "What kind of vehicle?",
                    "id": "Jenis kendaraan apa?",
                    "ms": "Jenis kenderaan apa?",
                    "vi": "Loại xe nào?",
                    "th": "ยานพาหนะประเภทใด",
                    "ja": "車両の種類は？",
                    "ko": "어떤 종류의 차량인가요?",
                    "zh-hans": "是哪种车辆？",
                },
                VEHICLE_KINDS,
            ),
            (
                "vehicle_code",
                "string",
                False,
                {
                    "en": "Vehicle code printed on the vehicle",
                    "id": "Kode kendaraan yang tertera",
                    "ms": "Kod kenderaan yang tertera pada kenderaan",
                    "vi": "Mã số in trên xe",
                    "th": "รหัสที่พิมพ์อยู่บนยานพาหนะ",
                    "ja": "車両に表示されている車両番号",
                    "ko": "차량에 표시된 차량 번호",
                    "zh-hans": "车身上印的车辆编号",
                },
                [],
            ),
            (
                "blocking_footpath",
                "singlevaluelist",
                True,
                {
                    "en": "Is it blocking the footpath?",
                    "id": "Apakah menghalangi trotoar?",
                    "ms": "Adakah ia menghalang laluan pejalan kaki?",
                    "vi": "Xe có chắn vỉa hè không?",
                    "th": "กีดขวางทางเท้าหรือไม่",
                    "ja": "歩道をふさいでいますか？",
                    "ko": "보도를 막고 있나요?",
                    "zh-hans": "是否阻挡人行道？",
                },
                YES_NO,
            ),
        ],
    },
    {
        "service_code": "idle-vehicle",
        "name": {
            "en": "Shared vehicle left unused",
            "id": "Kendaraan sewa tidak terpakai",
            "ms": "Kenderaan kongsi tidak digunakan",
            "vi": "Xe dùng chung để lâu không sử dụng",
            "th": "ยานพาหนะให้เช่าจอดทิ้งไว้ไม่มีการใช้งาน",
            "ja": "長期間利用されていないシェア車両",
            "ko": "장기간 사용되지 않은 공유 이동수단",
            "zh-hans": "长期闲置的共享车辆",
        },
        "description": {
            "en": "A share-bike or e-scooter that has stood unused at one place past its operator's limit, "
            "found in the operator's own data.",
            "id": "Sepeda atau skuter sewa yang tidak terpakai di satu tempat melewati batas operatornya, "
            "ditemukan dari data operator sendiri.",
            "ms": "Basikal atau skuter elektrik kongsi yang tidak digunakan di satu tempat melebihi had "
            "pengendalinya, dikesan daripada data pengendali sendiri.",
            "vi": "Xe đạp hoặc xe scooter điện dùng chung nằm yên một chỗ quá thời hạn của đơn vị vận hành, "
            "được phát hiện từ chính dữ liệu của đơn vị vận hành.",
            "th": "จักรยานหรือสกู๊ตเตอร์ไฟฟ้าให้เช่าที่จอดอยู่ที่เดิมโดยไม่มีการใช้งานเกินระยะเวลาที่ผู้ให้บริการกำหนด "
            "ตรวจพบจากข้อมูลของผู้ให้บริการเอง",
            "ja": "事業者の定める期限を超えて同じ場所で利用されていないシェアサイクルや電動キックボード。"
            "事業者自身のデータから見つかったものです。",
            "ko": "운영사가 정한 한도를 넘어 한 장소에서 사용되지 않고 있는 공유 자전거 또는 전동 킥보드로, "
            "운영사 자체 데이터에서 확인된 것입니다.",
            "zh-hans": "在同一地点闲置超过运营商规定期限的共享单车或电动滑板车，由运营商自己的数据发现。",
        },
        "group": MOBILITY,
        "keywords": "idle, unused, bike, scooter, sepeda, skuter",
        "is_micromobility": True,
        "response_days": 1,
        "agency_responsible": "Dinas Perhubungan",
        "attributes": [],
    },
    {
        "service_code": "pothole",
        "name": {
            "en": "Pothole",
            "id": "Jalan berlubang",
            "ms": "Jalan berlubang",
            "vi": "Ổ gà trên đường",
            "th": "ถนนเป็นหลุมบ่อ",
            "ja": "道路の穴・陥没",
            "ko": "도로 파임(포트홀)",
            "zh-hans": "道路坑洼",
        },
        "description": {
            "en": "A hole or broken surface in a road.",
            "id": "Lubang atau permukaan rusak di jalan.",
            "ms": "Lubang atau permukaan rosak di jalan raya.",
            "vi": "Lỗ thủng hoặc mặt đường bị hư hỏng.",
            "th": "หลุมหรือผิวถนนที่ชำรุด",
            "ja": "道路の穴や路面の損傷。",
            "ko": "도로에 생긴 구멍이나 파손된 노면.",
            "zh-hans": "道路上的坑洞或破损路面。",
        },
        "group": ROADS,
        "keywords": "road, hole, asphalt, jalan, lubang",
        "response_days": 14,
        "agency_responsible": "Dinas Pekerjaan Umum",
        "attributes": [
            (
                "size",
                "singlevaluelist",
                False,
                {
                    "en": "How big is it?",
                    "id": "Seberapa besar?",
                    "ms": "Berapa besar?",
                    "vi": "Lớn cỡ nào?",
                    "th": "มีขนาดใหญ่เท่าใด",
                    "ja": "大きさはどのくらいですか？",
                    "ko": "크기가 어느 정도인가요?",
                    "zh-hans": "有多大？",
                },
                [
                    (
                        "small",
                        {
                            "en": "Smaller than a plate",
                            "id": "Lebih kecil dari piring",
                            "ms": "Lebih kecil daripada pinggan",
                            "vi": "Nhỏ hơn cái đĩa",
                            "th": "เล็กกว่าจาน",
                            "ja": "皿より小さい",
                            "ko": "접시보다 작음",
                            "zh-hans": "比盘子小",
                        },
                    ),
                    (
                        "medium",
                        {
                            "en": "Like a car tyre",
                            "id": "Seperti ban mobil",
                            "ms": "Sebesar tayar kereta",
                            "vi": "Cỡ lốp ô tô",
                            "th": "ขนาดประมาณยางรถยนต์",
                            "ja": "車のタイヤくらい",
                            "ko": "자동차 타이어 정도",
                            "zh-hans": "和汽车轮胎差不多",
                        },
                    ),
                    (
                        "large",
                        {
                            "en": "Larger than a car tyre",
                            "id": "Lebih besar dari ban mobil",
                            "ms": "Lebih besar daripada tayar kereta",
                            "vi": "Lớn hơn lốp ô tô",
                            "th": "ใหญ่กว่ายางรถยนต์",
                            "ja": "車のタイヤより大きい",
                            "ko": "자동차 타이어보다 큼",
                            "zh-hans": "比汽车轮胎大",
                        },
                    ),
                ],
            ),
        ],
    },
    {
        "service_code": "streetlight",
        "name": {
            "en": "Streetlight out",
            "id": "Lampu jalan mati",
            "ms": "Lampu jalan padam",
            "vi": "Đèn đường không sáng",
            "th": "ไฟถนนดับ",
            "ja": "街灯の不点灯",
            "ko": "가로등 고장",
            "zh-hans": "路灯不亮",
        },
        "description": {
            "en": "A streetlight that is off, flickering or damaged.",
            "id": "Lampu jalan yang mati, berkedip, atau rusak.",
            "ms": "Lampu jalan yang padam, berkelip atau rosak.",
            "vi": "Đèn đường bị tắt, chập chờn hoặc hư hỏng.",
            "th": "ไฟถนนที่ดับ กะพริบ หรือชำรุด",
            "ja": "消えている、点滅している、または壊れている街灯。",
            "ko": "꺼져 있거나 깜빡이거나 파손된 가로등.",
            "zh-hans": "熄灭、闪烁或损坏的路灯。",
        },
        "group": LIGHTING,
        "keywords": "light, lamp, dark, lampu, gelap",
        "response_days": 7,
        "agency_responsible": "Dinas Perumahan dan Permukiman",
        "attributes": [
            (
                "pole_number",
                "string",
                False,
                {
                    "en": "Number on the pole, if any",
                    "id": "Nomor pada tiang, jika ada",
                    "ms": "Nombor pada tiang, jika ada",
                    "vi": "Số trên cột đèn, nếu có",
                    "th": "หมายเลขบนเสาไฟ (ถ้ามี)",
                    "ja": "柱の番号（あれば）",
                    "ko": "기둥에 적힌 번호(있는 경우)",
                    "zh-hans": "灯杆上的编号（如有）",
                },
                [],
            ),
        ],
    },
    {
        "service_code": "illegal-dumping",
        "name": {
            "en": "Illegal dumping",
            "id": "Pembuangan sampah liar",
            "ms": "Pembuangan sampah haram",
            "vi": "Đổ rác trái phép",
            "th": "การลักลอบทิ้งขยะ",
            "ja": "不法投棄",
            "ko": "쓰레기 무단 투기",
            "zh-hans": "非法倾倒垃圾",
        },
        "description": {
            "en": "Rubbish dumped where it should not be.",
            "id": "Sampah yang dibuang di tempat yang tidak semestinya.",
            "ms": "Sampah yang dibuang di tempat yang tidak sepatutnya.",
            "vi": "Rác bị đổ ở nơi không được phép.",
            "th": "ขยะที่ถูกทิ้งในที่ที่ไม่ควรทิ้ง",
            "ja": "捨ててはいけない場所に捨てられたごみ。",
            "ko": "버려서는 안 되는 곳에 버려진 쓰레기.",
            "zh-hans": "倾倒在不该倾倒之处的垃圾。",
        },
        "group": CLEANLINESS,
        "keywords": "rubbish, trash, garbage, waste, sampah",
        "response_days": 7,
        "agency_responsible": "Dinas Lingkungan Hidup",
        "attributes": [
            (
                "waste_type",
                "multivaluelist",
                False,
                {
                    "en": "What kind of waste?",
                    "id": "Jenis sampah apa?",
                    "ms": "Jenis sampah apa?",
                    "vi": "Loại rác gì?",
                    "th": "เป็นขยะประเภทใด",
                    "ja": "ごみの種類は？",
                    "ko": "어떤 종류의 쓰레기인가요?",
                    "zh-hans": "是什么类型的垃圾？",
                },
                [
                    (
                        "household",
                        {
                            "en": "Household rubbish",
                            "id": "Sampah rumah tangga",
                            "ms": "Sampah isi rumah",
                            "vi": "Rác sinh hoạt",
                            "th": "ขยะครัวเรือน",
                            "ja": "家庭ごみ",
                            "ko": "생활 쓰레기",
                            "zh-hans": "生活垃圾",
                        },
                    ),
                    (
                        "construction",
                        {
                            "en": "Construction rubble",
                            "id": "Puing bangunan",
                            "ms": "Sisa binaan",
                            "vi": "Xà bần xây dựng",
                            "th": "เศษวัสดุก่อสร้าง",
                            "ja": "建設廃材",
                            "ko": "건설 폐기물",
                            "zh-hans": "建筑垃圾",
                        },
                    ),
                    (
                        "hazardous",
                        {
                            "en": "Hazardous (chemicals, batteries)",
                            "id": "Berbahaya (bahan kimia, baterai)",
                            "ms": "Berbahaya (bahan kimia, bateri)",
                            "vi": "Chất thải nguy hại (hóa chất, pin)",
                            "th": "ขยะอันตราย (สารเคมี แบตเตอรี่)",
                            "ja": "有害物（化学物質、電池）",
                            "ko": "유해 폐기물(화학물질, 배터리)",
                            "zh-hans": "有害垃圾（化学品、电池）",
                        },
                    ),
                ],
            ),
        ],
    },
    {
        "service_code": "blocked-footpath",
        "name": {
            "en": "Blocked footpath",
            "id": "Trotoar terhalang",
            "ms": "Laluan pejalan kaki terhalang",
            "vi": "Vỉa hè bị cản trở",
            "th": "ทางเท้าถูกกีดขวาง",
            "ja": "歩道の通行妨害",
            "ko": "보도 통행 방해",
            "zh-hans": "人行道受阻",
        },
        "description": {
            "en": "Something blocking the footpath: stalls, parked vehicles, construction.",
            "id": "Sesuatu yang menghalangi trotoar: lapak, kendaraan parkir, konstruksi.",
            "ms": "Sesuatu yang menghalang laluan pejalan kaki: gerai, kenderaan yang diletakkan, kerja pembinaan.",
            "vi": "Có vật cản trên vỉa hè: quầy hàng, xe đỗ, công trình xây dựng.",
            "th": "สิ่งกีดขวางทางเท้า เช่น แผงลอย รถที่จอดอยู่ หรืองานก่อสร้าง",
            "ja": "歩道をふさいでいるもの（露店、駐車車両、工事など）。",
            "ko": "보도를 막고 있는 것: 노점, 주차된 차량, 공사 등.",
            "zh-hans": "阻挡人行道的物品：摊位、停放的车辆、施工等。",
        },
        "group": ROADS,
        "keywords": "footpath, sidewalk, pavement, trotoar",
        "response_days": 7,
        "agency_responsible": "Satpol PP",
        "attributes": [],
    },
    {
        "service_code": "bus-stop",
        "name": {
            "en": "Damaged bus stop",
            "id": "Halte bus rusak",
            "ms": "Perhentian bas rosak",
            "vi": "Trạm xe buýt bị hư hỏng",
            "th": "ป้ายรถเมล์ชำรุด",
            "ja": "バス停の破損",
            "ko": "버스 정류장 파손",
            "zh-hans": "公交车站损坏",
        },
        "description": {
            "en": "A bus stop or shelter that is damaged, dirty or unsafe.",
            "id": "Halte atau tempat tunggu bus yang rusak, kotor, atau tidak aman.",
            "ms": "Perhentian atau pondok bas yang rosak, kotor atau tidak selamat.",
            "vi": "Trạm hoặc nhà chờ xe buýt bị hư hỏng, bẩn hoặc không an toàn.",
            "th": "ป้ายหรือศาลาที่พักผู้โดยสารรถเมล์ที่ชำรุด สกปรก หรือไม่ปลอดภัย",
            "ja": "壊れている、汚れている、または危険なバス停や待合所。",
            "ko": "파손되었거나 더럽거나 안전하지 않은 버스 정류장 또는 승차대.",
            "zh-hans": "损坏、脏乱或不安全的公交车站或候车亭。",
        },
        "group": MOBILITY,
        "keywords": "bus, stop, shelter, halte",
        "response_days": 10,
        "agency_responsible": "Dinas Perhubungan",
        "attributes": [
            (
                "stop_name",
                "string",
                False,
                {
                    "en": "Name of the stop",
                    "id": "Nama halte",
                    "ms": "Nama perhentian",
                    "vi": "Tên trạm",
                    "th": "ชื่อป้ายรถเมล์",
                    "ja": "バス停の名前",
                    "ko": "정류장 이름",
                    "zh-hans": "车站名称",
                },
                [],
            ),
        ],
    },
]

TRANSLATED = ("name", "description", "group")


def columns(field: str, texts: Texts | str) -> dict[str, str | None]:
    """A field's texts by column (``name_en``, ``name_ind``, ...). A plain string is the same in
    every language: it is written in English, and other translations are cleared to fall back to it."""
    if isinstance(texts, str):
        english = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        return {
            build_localized_fieldname(field, code): texts if code == english else None for code, _ in settings.LANGUAGES
        }
    return {build_localized_fieldname(field, language): text for language, text in texts.items()}


@transaction.atomic
def catalogue_load() -> list[Service]:
    """Create or update the starter services, their questions and allowed answers."""
    services = []
    for order, entry in enumerate(CATALOGUE):
        fields = {key: value for key, value in entry.items() if key not in ("service_code", "attributes", *TRANSLATED)}
        for field in TRANSLATED:
            fields.update(columns(field, entry[field]))
        service, _ = Service.objects.update_or_create(
            service_code=entry["service_code"], defaults={**fields, "order": order}
        )
        for position, (code, datatype, required, question, values) in enumerate(entry["attributes"]):
            attribute, _ = ServiceAttribute.objects.update_or_create(
                service=service,
                code=code,
                defaults={
                    "datatype": datatype,
                    "required": required,
                    **columns("description", question),
                    "order": position,
                },
            )
            for value_order, (key, name) in enumerate(values):
                AttributeValue.objects.update_or_create(
                    attribute=attribute, key=key, defaults={**columns("name", name), "order": value_order}
                )
        services.append(service)
    return services


def ensure_service(service_code: str) -> Service:
    """A starter service, loaded from the catalogue if the city has not got it yet."""
    service = Service.objects.filter(service_code=service_code).first()
    if service is None:
        catalogue_load()
        service = Service.objects.get(service_code=service_code)
    return service


@transaction.atomic
def offer_choice(*, attribute_code: str, key: str, name: str) -> int:
    """Add (or rename) an answer to every question ``attribute_code`` of the shared-vehicle
    services, e.g. a new operator in "Which operator's vehicle is it?"; returns how many."""
    attributes = ServiceAttribute.objects.filter(code=attribute_code, service__is_micromobility=True)
    for attribute in attributes:
        order = attribute.values.count()
        AttributeValue.objects.update_or_create(
            attribute=attribute, key=key, defaults={**columns("name", name), "order": order}
        )
    return len(attributes)
