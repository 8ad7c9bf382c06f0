//! One field value against its definition: the checks a form and an edit
//! make before anything is written, with messages in Thai and English that
//! say what is wrong and how to put it right.

use serde::Serialize;

use super::schema::{schema, FieldDef, FieldType, Format};
use super::RoadCode;
use crate::gpkg::Value;

/// What is wrong with one value, in both languages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub th: String,
    pub en: String,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.en, self.th)
    }
}

impl FieldDef {
    fn problem(&self, th: String, en: String) -> FieldProblem {
        FieldProblem {
            field: self.name.clone(),
            th: format!("{}: {th}", self.th),
            en: format!("{}: {en}", self.en),
        }
    }

    /// Reads a value typed into a form (JSON: string, number, boolean or
    /// null) as this field stores it. Empty text is NULL.
    ///
    /// ```
    /// use tongtin::gpkg::Value;
    /// use tongtin::model::schema;
    /// let height = schema().layer("poles").unwrap().field("height_m").unwrap();
    /// assert_eq!(height.parse_input(&serde_json::json!("9.5")).unwrap(), Value::Real(9.5));
    /// assert!(height.parse_input(&serde_json::json!("สูง")).is_err());
    /// ```
    pub fn parse_input(&self, input: &serde_json::Value) -> Result<Value, FieldProblem> {
        use serde_json::Value as J;
        let text = match input {
            J::Null => return Ok(Value::Null),
            J::String(s) if s.trim().is_empty() => return Ok(Value::Null),
            J::String(s) => s.trim().to_string(),
            J::Number(n) => n.to_string(),
            J::Bool(b) => return Ok(Value::Integer(i64::from(*b))),
            _ => return Err(self.problem("ค่าไม่ถูกชนิด".into(), "is not a single value".into())),
        };
        match self.field_type {
            FieldType::Text | FieldType::Date | FieldType::Datetime => Ok(Value::Text(text)),
            FieldType::Integer => text.parse::<i64>().map(Value::Integer).map_err(|_| {
                self.problem(
                    format!("'{text}' ไม่ใช่จำนวนเต็ม ใส่ตัวเลขไม่มีทศนิยม"),
                    format!("'{text}' is not a whole number; type digits only"),
                )
            }),
            FieldType::Real => text
                .replace(',', "")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(Value::Real)
                .ok_or_else(|| {
                    self.problem(
                        format!("'{text}' ไม่ใช่ตัวเลข ใส่ตัวเลข เช่น 9.5"),
                        format!("'{text}' is not a number; type a number such as 9.5"),
                    )
                }),
            FieldType::Boolean => match text.as_str() {
                "1" | "true" => Ok(Value::Integer(1)),
                "0" | "false" => Ok(Value::Integer(0)),
                _ => Err(self.problem("ต้องเป็น ใช่ หรือ ไม่ใช่".into(), "must be yes or no".into())),
            },
        }
    }

    /// Every rule of the data model the value breaks (uniqueness, which
    /// needs the other rows, is checked by the editor).
    pub fn check(&self, value: &Value) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        let empty = match value {
            Value::Null => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        };
        if empty {
            if self.required {
                out.push(self.problem("ต้องกรอก".into(), "is required; fill it in".into()));
            }
            return out;
        }
        match (self.field_type, value) {
            (FieldType::Integer | FieldType::Boolean, Value::Integer(_)) => {}
            (FieldType::Real, Value::Integer(_) | Value::Real(_)) => {}
            (FieldType::Text, Value::Text(_)) => {}
            (FieldType::Date, Value::Text(t)) => {
                if chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_err() {
                    out.push(self.problem(
                        format!("'{t}' ไม่ใช่วันที่ที่ถูกต้อง เลือกวันจากปฏิทิน"),
                        format!("'{t}' is not a valid date; pick one from the calendar (YYYY-MM-DD)"),
                    ));
                }
            }
            (FieldType::Datetime, Value::Text(t)) => {
                if chrono::DateTime::parse_from_rfc3339(t).is_err() {
                    out.push(self.problem(
                        format!("'{t}' ไม่ใช่วันเวลาที่ถูกต้อง"),
                        format!("'{t}' is not a date and time (ISO 8601)"),
                    ));
                }
            }
            _ => out.push(self.problem(
                format!("ค่า '{value}' ไม่ถูกชนิด"),
                format!("'{value}' is not of the field's type"),
            )),
        }
        if let (Some(min), Some(max), Some(v)) = (self.min, self.max, value.as_f64()) {
            if v < min || v > max {
                out.push(self.problem(
                    format!("{v} อยู่นอกช่วง {min}–{max}"),
                    format!("{v} is outside {min}–{max}; enter a value in that range"),
                ));
            }
        }
        if let (Some(domain), Some(code)) = (self.domain.as_deref().and_then(|d| schema().domain(d)), value.as_str()) {
            if !domain.contains(code) {
                let th: Vec<&str> = domain.values.iter().map(|v| v.th.as_str()).collect();
                let en: Vec<&str> = domain.values.iter().map(|v| v.en.as_str()).collect();
                out.push(self.problem(
                    format!("'{code}' ไม่อยู่ในรายการ เลือกจาก: {}", th.join(", ")),
                    format!("'{code}' is not in the list; choose one of: {}", en.join(", ")),
                ));
            }
        }
        if let (Some(Format::RoadCode), Some(text)) = (self.format, value.as_str()) {
            if text.parse::<RoadCode>().is_err() {
                out.push(self.problem(
                    format!("'{text}' ไม่ใช่รหัสสายทาง ใช้รูปแบบ นภ.ถ 1-0012"),
                    format!("'{text}' is not a road code; write it like นภ.ถ 1-0012"),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(layer: &str, name: &str) -> &'static FieldDef {
        schema().layer(layer).unwrap().field(name).unwrap()
    }

    #[test]
    fn each_rule_has_its_message() {
        assert_eq!(field("poles", "pole_no").check(&Value::Null).len(), 1);
        assert!(field("poles", "status").check(&"broken".into())[0]
            .en
            .contains("choose one of"));
        assert!(field("poles", "height_m").check(&Value::Real(100.0))[0]
            .en
            .contains("outside"));
        assert!(field("roads", "road_code").check(&"ถนน".into())[0]
            .th
            .contains("นภ.ถ 1-0012"));
        assert!(field("poles", "install_date").check(&"2025-02-30".into())[0]
            .en
            .contains("date"));
        assert!(field("poles", "arm_count").check(&Value::Real(1.5))[0]
            .en
            .contains("type"));
        assert!(field("poles", "status").check(&"damaged".into()).is_empty());
    }

    #[test]
    fn form_input_is_typed() {
        let arms = field("poles", "arm_count");
        assert_eq!(arms.parse_input(&serde_json::json!(2)).unwrap(), Value::Integer(2));
        assert_eq!(arms.parse_input(&serde_json::json!(" ")).unwrap(), Value::Null);
        assert!(arms.parse_input(&serde_json::json!("2.5")).is_err());
        assert!(arms.parse_input(&serde_json::json!([1])).is_err());
        let price = field("equipment", "unit_price");
        assert_eq!(
            price.parse_input(&serde_json::json!("12,500.50")).unwrap(),
            Value::Real(12500.5)
        );
    }
}
