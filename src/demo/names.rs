//! Thai place names for the synthetic town, with their RTGS romanisations.
//! They follow common Isan naming patterns; the places themselves are invented.

/// (Thai, English) names of the villages (หมู่บ้าน); the first is the town.
pub const VILLAGES: [(&str, &str); 12] = [
    ("โนนสะอาด", "Non Sa-at"),
    ("หนองแวง", "Nong Waeng"),
    ("โคกใหญ่", "Khok Yai"),
    ("นาคำ", "Na Kham"),
    ("หนองบัวทอง", "Nong Bua Thong"),
    ("ดอนหัน", "Don Han"),
    ("โนนสวรรค์", "Non Sawan"),
    ("ห้วยทราย", "Huai Sai"),
    ("นาเจริญ", "Na Charoen"),
    ("หนองไผ่", "Nong Phai"),
    ("โคกสว่าง", "Khok Sawang"),
    ("สร้างแก้ว", "Sang Kaeo"),
];

/// Street names of the town (ถนน …).
pub const TOWN_STREETS: [(&str, &str); 10] = [
    ("ถนนเทศบาล 1", "Thetsaban 1 Road"),
    ("ถนนเทศบาล 2", "Thetsaban 2 Road"),
    ("ถนนศรีสะอาด", "Si Sa-at Road"),
    ("ถนนประชาสามัคคี", "Pracha Samakkhi Road"),
    ("ถนนโพธิ์ศรี", "Pho Si Road"),
    ("ถนนมิตรภาพ", "Mittraphap Road"),
    ("ถนนสุขาภิบาล", "Sukhaphiban Road"),
    ("ถนนหน้าเมือง", "Na Mueang Road"),
    ("ถนนอุดมสุข", "Udom Suk Road"),
    ("ถนนร่วมใจ", "Ruam Chai Road"),
];

/// Temple names (วัด …).
pub const TEMPLES: [(&str, &str); 8] = [
    ("วัดโพธิ์ศรีสะอาด", "Wat Pho Si Sa-at"),
    ("วัดศรีสุมังคล์", "Wat Si Sumang"),
    ("วัดป่าสันติธรรม", "Wat Pa Santitham"),
    ("วัดบ้านหนองแวง", "Wat Ban Nong Waeng"),
    ("วัดโคกใหญ่", "Wat Khok Yai"),
    ("วัดสว่างอารมณ์", "Wat Sawang Arom"),
    ("วัดป่าห้วยทราย", "Wat Pa Huai Sai"),
    ("วัดศรีมงคล", "Wat Si Mongkhon"),
];
