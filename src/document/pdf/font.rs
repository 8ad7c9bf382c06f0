//! Sarabun, shaped with rustybuzz and embedded as a CID-keyed TrueType font
//! (Type 0, Identity-H) with a ToUnicode CMap so text can be searched and copied.
//!
//! Each distinct (glyph, text) pair gets its own CID: Thai shaping can draw one
//! character with several glyphs (สระอำ becomes นิคหิต + สระอา, placed around the
//! tone mark) and one glyph for different characters, so mapping glyphs to text
//! per glyph id would extract the wrong text. CIDs map to glyphs through a
//! CIDToGIDMap; the embedded font keeps only the glyphs used (see `subset`).
//!
//! Fonts: Sarabun Regular and Bold (SIL Open Font License 1.1), from the Google
//! Fonts build shipped in the npm package `@expo-google-fonts/sarabun` 0.4.1;
//! see `data/fonts/README.md`.

use super::subset;
use super::writer::PdfFile;
use crate::document::DocumentError;
use rustybuzz::ttf_parser::GlyphId;
use rustybuzz::{Direction, Face, UnicodeBuffer};
use std::collections::HashMap;
use std::fmt::Write as _;

static SARABUN_REGULAR: &[u8] = include_bytes!("../../../data/fonts/Sarabun-Regular.ttf");
static SARABUN_BOLD: &[u8] = include_bytes!("../../../data/fonts/Sarabun-Bold.ttf");

/// One glyph as placed by the shaper, in font units.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Glyph {
    pub cid: u16,
    /// The advance the PDF viewer applies (the font's own, from /W).
    pub own: i32,
    /// The advance the shaper chose.
    pub adv: i32,
    pub dx: i32,
    pub dy: i32,
    /// Byte offset in the text of the cluster this glyph belongs to.
    pub cluster: u32,
    /// The glyph draws a space (a place to break a line).
    pub space: bool,
}

/// A shaped piece of text in one font.
#[derive(Clone, Debug, Default)]
pub(crate) struct Shaped {
    pub font: usize,
    pub glyphs: Vec<Glyph>,
    /// The text shaped (clusters are byte offsets into it).
    pub text: String,
}

impl Shaped {
    /// Advance width of glyphs `range` in font units.
    pub fn units(&self, range: std::ops::Range<usize>) -> i32 {
        self.glyphs[range].iter().map(|g| g.adv).sum()
    }

    pub fn width_units(&self) -> i32 {
        self.units(0..self.glyphs.len())
    }

    /// The text drawn by glyphs `range` (whole clusters).
    pub fn source(&self, range: std::ops::Range<usize>) -> &str {
        if range.is_empty() {
            return "";
        }
        let start = self.glyphs[range.clone()].iter().map(|g| g.cluster).min().unwrap() as usize;
        let end = self.glyphs[range.end..]
            .iter()
            .map(|g| g.cluster as usize)
            .filter(|c| *c > start)
            .min()
            .unwrap_or(self.text.len());
        &self.text[start..end]
    }
}

/// A font in use by one document.
pub(crate) struct Font {
    face: Face<'static>,
    data: &'static [u8],
    pub name: &'static str,
    pub upem: f64,
    pub ascender: f64,
    pub descender: f64,
    cids: HashMap<(u16, String), u16>,
    /// (glyph id, text) of each CID from 1.
    used: Vec<(u16, String)>,
}

/// The document's fonts: [`REGULAR`] and [`BOLD`].
pub(crate) struct Fonts(pub Vec<Font>);

pub(crate) const REGULAR: usize = 0;
pub(crate) const BOLD: usize = 1;

impl Fonts {
    pub fn sarabun() -> Result<Fonts, DocumentError> {
        Ok(Fonts(vec![
            Font::new(SARABUN_REGULAR, "Sarabun-Regular")?,
            Font::new(SARABUN_BOLD, "Sarabun-Bold")?,
        ]))
    }

    pub fn shape(&mut self, font: usize, text: &str) -> Shaped {
        let mut s = self.0[font].shape(text);
        s.font = font;
        s
    }

    /// Width in points of `text` at `size`.
    pub fn width(&mut self, font: usize, text: &str, size: f64) -> f64 {
        let s = self.shape(font, text);
        self.pt(font, s.width_units(), size)
    }

    pub fn pt(&self, font: usize, units: i32, size: f64) -> f64 {
        units as f64 * size / self.0[font].upem
    }
}

impl Font {
    fn new(data: &'static [u8], name: &'static str) -> Result<Font, DocumentError> {
        let face = Face::from_slice(data, 0).ok_or_else(|| DocumentError::Font(format!("{name}: not a font")))?;
        let upem = face.units_per_em() as f64;
        let (ascender, descender) = (face.ascender() as f64, face.descender() as f64);
        Ok(Font {
            face,
            data,
            name,
            upem,
            ascender,
            descender,
            cids: HashMap::new(),
            used: Vec::new(),
        })
    }

    fn shape(&mut self, text: &str) -> Shaped {
        if text.is_empty() {
            return Shaped::default();
        }
        let mut buf = UnicodeBuffer::new();
        buf.push_str(text);
        buf.guess_segment_properties();
        if text.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)) {
            // Shape mixed text with the Thai shaper: a leading Latin word would
            // otherwise choose the default shaper for the whole run.
            buf.set_script(rustybuzz::script::THAI);
        }
        buf.set_direction(Direction::LeftToRight);
        let out = rustybuzz::shape(&self.face, &[], buf);
        let infos = out.glyph_infos();
        let pos = out.glyph_positions();

        // Text for each glyph, cluster by cluster.
        let mut texts: Vec<String> = vec![String::new(); infos.len()];
        let mut i = 0;
        while i < infos.len() {
            let cluster = infos[i].cluster;
            let mut j = i;
            while j < infos.len() && infos[j].cluster == cluster {
                j += 1;
            }
            let end = infos
                .iter()
                .map(|g| g.cluster)
                .filter(|c| *c > cluster)
                .min()
                .unwrap_or(text.len() as u32);
            let chars: &str = &text[cluster as usize..end as usize];
            self.assign(chars, &infos[i..j], &mut texts[i..j]);
            i = j;
        }

        let glyphs = infos
            .iter()
            .zip(pos)
            .zip(texts)
            .map(|((info, p), t)| {
                let gid = info.glyph_id as u16;
                let own = self.face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0) as i32;
                let space = t == " ";
                Glyph {
                    cid: self.cid(gid, t),
                    own,
                    adv: p.x_advance,
                    dx: p.x_offset,
                    dy: p.y_offset,
                    cluster: info.cluster,
                    space,
                }
            })
            .collect();
        Shaped {
            font: 0,
            glyphs,
            text: text.to_string(),
        }
    }

    /// Shares a cluster's characters among its glyphs: each glyph the font maps
    /// a character of the cluster to takes that character; the characters left
    /// go, in order, to the last glyph that took none (สระอำ: นิคหิต takes nothing,
    /// สระอา takes "ำ"), so reading the glyphs in order gives back the text.
    fn assign(&self, chars: &str, glyphs: &[rustybuzz::GlyphInfo], texts: &mut [String]) {
        if glyphs.len() == 1 {
            texts[0] = chars.to_string();
            return;
        }
        let mut left: Vec<Option<char>> = chars.chars().map(Some).collect();
        let mut unmatched = Vec::new();
        for (k, g) in glyphs.iter().enumerate() {
            let hit = left
                .iter()
                .position(|c| c.is_some_and(|c| self.face.glyph_index(c).map(|x| x.0 as u32) == Some(g.glyph_id)));
            match hit {
                Some(p) => texts[k] = left[p].take().unwrap().to_string(),
                None => unmatched.push(k),
            }
        }
        let rest: String = left.into_iter().flatten().collect();
        if rest.is_empty() {
            return;
        }
        if unmatched.len() == rest.chars().count() {
            for (k, c) in unmatched.iter().zip(rest.chars()) {
                texts[*k] = c.to_string();
            }
        } else if let Some(k) = unmatched.last() {
            texts[*k] = rest;
        } else {
            texts[glyphs.len() - 1].push_str(&rest);
        }
    }

    fn cid(&mut self, gid: u16, text: String) -> u16 {
        if let Some(c) = self.cids.get(&(gid, text.clone())) {
            return *c;
        }
        self.used.push((gid, text.clone()));
        let cid = self.used.len() as u16;
        self.cids.insert((gid, text), cid);
        cid
    }

    /// Writes the font's objects; `id` is the Type 0 font the pages refer to.
    pub fn embed(&self, pdf: &mut PdfFile, id: u32) -> Result<(), DocumentError> {
        let cid_font = pdf.alloc();
        let descriptor = pdf.alloc();
        let file = pdf.alloc();
        let to_unicode = pdf.alloc();
        let cid_to_gid = pdf.alloc();

        let gids: Vec<u16> = self.used.iter().map(|(g, _)| *g).collect();
        let program = subset::subset(self.data, &gids)?;
        let tag = subset_tag(&gids);
        let base = format!("{tag}+{}", self.name);
        let scale = 1000.0 / self.upem;

        pdf.object(
            id,
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H \
                 /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
            )
            .as_bytes(),
        );
        let mut widths = String::from("[1 [");
        for (gid, _) in &self.used {
            let w = self.face.glyph_hor_advance(GlyphId(*gid)).unwrap_or(0) as f64 * scale;
            write!(widths, "{} ", w.round() as i64).unwrap();
        }
        widths.push_str("]]");
        if self.used.is_empty() {
            widths = "[]".into();
        }
        pdf.object(
            cid_font,
            format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{base} \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor {descriptor} 0 R /DW 0 /W {widths} /CIDToGIDMap {cid_to_gid} 0 R >>"
            )
            .as_bytes(),
        );
        let bbox = self.face.global_bounding_box();
        let cap = self.face.capital_height().unwrap_or(700) as f64;
        let bold = self.name.contains("Bold");
        pdf.object(
            descriptor,
            format!(
                "<< /Type /FontDescriptor /FontName /{base} /Flags 4 /FontBBox [{} {} {} {}] \
                 /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV {} /FontFile2 {file} 0 R >>",
                (bbox.x_min as f64 * scale).round(),
                (bbox.y_min as f64 * scale).round(),
                (bbox.x_max as f64 * scale).round(),
                (bbox.y_max as f64 * scale).round(),
                (self.ascender * scale).round(),
                (self.descender * scale).round(),
                (cap * scale).round(),
                if bold { 140 } else { 80 },
            )
            .as_bytes(),
        );
        pdf.stream(file, &format!("/Length1 {}", program.len()), &program);

        let mut map = Vec::with_capacity(2 * (self.used.len() + 1));
        map.extend_from_slice(&[0, 0]);
        for (gid, _) in &self.used {
            map.extend_from_slice(&gid.to_be_bytes());
        }
        pdf.stream(cid_to_gid, "", &map);
        pdf.stream(to_unicode, "", self.to_unicode().as_bytes());
        Ok(())
    }

    fn to_unicode(&self) -> String {
        let mut s = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<(usize, &String)> = self.used.iter().enumerate().map(|(i, (_, t))| (i + 1, t)).collect();
        for chunk in entries.chunks(100) {
            writeln!(s, "{} beginbfchar", chunk.len()).unwrap();
            for (cid, text) in chunk {
                let mut hex = String::new();
                for u in text.encode_utf16() {
                    write!(hex, "{u:04X}").unwrap();
                }
                if hex.is_empty() {
                    // Text carried by a neighbouring glyph of the cluster.
                    hex.push_str("200B");
                }
                writeln!(s, "<{cid:04X}> <{hex}>").unwrap();
            }
            s.push_str("endbfchar\n");
        }
        s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        s
    }
}

/// Six capital letters naming a subset (PDF 32000-1 §9.6.4), from the glyphs it keeps.
fn subset_tag(gids: &[u16]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for g in gids {
        for b in g.to_be_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    (0..6).map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(font: &Font, s: &Shaped) -> Vec<String> {
        s.glyphs
            .iter()
            .map(|g| font.used[g.cid as usize - 1].1.clone())
            .collect()
    }

    #[test]
    fn sara_am_reads_back_in_order() {
        let mut fonts = Fonts::sarabun().unwrap();
        let s = fonts.shape(REGULAR, "น้ำ");
        let t = texts(&fonts.0[0], &s);
        assert_eq!(t.concat(), "น้ำ", "{t:?}");
        assert_eq!(s.source(0..s.glyphs.len()), "น้ำ");
        let s = fonts.shape(REGULAR, "ตำบล");
        assert_eq!(texts(&fonts.0[0], &s).concat(), "ตำบล");
    }

    #[test]
    fn marks_are_positioned_not_advanced() {
        let mut fonts = Fonts::sarabun().unwrap();
        let s = fonts.shape(REGULAR, "ที่");
        assert_eq!(s.glyphs.len(), 3);
        // The vowel and tone mark take no room of their own.
        assert_eq!(s.glyphs[1].adv, 0);
        assert_eq!(s.glyphs[2].adv, 0);
        // The tone mark sits above the vowel.
        assert!(s.glyphs[2].dy > s.glyphs[1].dy || s.glyphs[2].cid != s.glyphs[1].cid);
        let t = texts(&fonts.0[0], &s);
        assert_eq!(t.concat(), "ที่");
    }

    #[test]
    fn every_text_reads_back() {
        let mut fonts = Fonts::sarabun().unwrap();
        for text in [
            "ทะเบียนค่าเสื่อมราคาครุภัณฑ์",
            "ปีงบประมาณ พ.ศ. 2567",
            "กรุงเทพมหานคร อมรรัตนโกสินทร์",
            "ญี่ปุ่น ฐาน ปู่ ฟ้า ป่า ฝ้าย",
            "Asset 416-66-0001 ตู้เหล็ก",
        ] {
            let s = fonts.shape(REGULAR, text);
            assert_eq!(texts(&fonts.0[0], &s).concat(), text);
        }
    }
}
