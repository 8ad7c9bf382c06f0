//! A TrueType subset that keeps glyph ids: the glyphs not used become empty,
//! so the `glyf` table holds only what the document draws (and the components
//! of composite glyphs). Layout tables (GSUB, GPOS, GDEF) are dropped: the
//! PDF carries positioned glyphs, shaping is done.

use crate::document::DocumentError;
use std::collections::BTreeSet;

/// Tables a PDF viewer may use from an embedded TrueType font.
const KEEP: [&[u8; 4]; 11] = [
    b"OS/2", b"cmap", b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"prep",
];

fn bad(what: &str) -> DocumentError {
    DocumentError::Font(format!("cannot subset the font: {what}"))
}

fn u16_at(d: &[u8], o: usize) -> Result<u16, DocumentError> {
    d.get(o..o + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| bad("truncated"))
}

fn u32_at(d: &[u8], o: usize) -> Result<u32, DocumentError> {
    d.get(o..o + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| bad("truncated"))
}

/// The font `data` with only glyphs `used` (and .notdef) drawn.
pub(crate) fn subset(data: &[u8], used: &[u16]) -> Result<Vec<u8>, DocumentError> {
    let count = u16_at(data, 4)? as usize;
    let mut tables: Vec<([u8; 4], &[u8])> = Vec::new();
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = data
            .get(rec..rec + 4)
            .ok_or_else(|| bad("directory"))?
            .try_into()
            .unwrap();
        let off = u32_at(data, rec + 8)? as usize;
        let len = u32_at(data, rec + 12)? as usize;
        let body = data.get(off..off + len).ok_or_else(|| bad("table outside the file"))?;
        tables.push((tag, body));
    }
    let find = |t: &[u8; 4]| tables.iter().find(|(tag, _)| tag == t).map(|(_, b)| *b);
    let head = find(b"head").ok_or_else(|| bad("no head"))?;
    let maxp = find(b"maxp").ok_or_else(|| bad("no maxp"))?;
    let loca = find(b"loca").ok_or_else(|| bad("no loca"))?;
    let glyf = find(b"glyf").ok_or_else(|| bad("no glyf"))?;
    let long = u16_at(head, 50)? == 1;
    let glyphs = u16_at(maxp, 4)? as usize;
    let offset = |g: usize| -> Result<usize, DocumentError> {
        Ok(if long {
            u32_at(loca, 4 * g)? as usize
        } else {
            2 * u16_at(loca, 2 * g)? as usize
        })
    };
    let glyph = |g: usize| -> Result<&[u8], DocumentError> {
        let (a, b) = (offset(g)?, offset(g + 1)?);
        glyf.get(a..b).ok_or_else(|| bad("glyph outside glyf"))
    };

    // The glyphs to keep, with the components of composite glyphs.
    let mut keep: BTreeSet<usize> = used.iter().map(|g| *g as usize).filter(|g| *g < glyphs).collect();
    keep.insert(0);
    let mut todo: Vec<usize> = keep.iter().copied().collect();
    while let Some(g) = todo.pop() {
        let d = glyph(g)?;
        if d.len() < 10 || (u16_at(d, 0)? as i16) >= 0 {
            continue;
        }
        let mut p = 10;
        loop {
            let flags = u16_at(d, p)?;
            let component = u16_at(d, p + 2)? as usize;
            if component < glyphs && keep.insert(component) {
                todo.push(component);
            }
            p += 4 + if flags & 1 != 0 { 4 } else { 2 };
            p += if flags & 0x08 != 0 {
                2
            } else if flags & 0x40 != 0 {
                4
            } else if flags & 0x80 != 0 {
                8
            } else {
                0
            };
            if flags & 0x20 == 0 {
                break;
            }
        }
    }

    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (glyphs + 1));
    for g in 0..glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if keep.contains(&g) {
            new_glyf.extend_from_slice(glyph(g)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head[8..12].copy_from_slice(&[0; 4]); // checkSumAdjustment, set below
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes()); // long loca

    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    for (tag, body) in &tables {
        if !KEEP.contains(&tag) {
            continue;
        }
        let body = match tag {
            b"glyf" => new_glyf.clone(),
            b"loca" => new_loca.clone(),
            b"head" => new_head.clone(),
            _ => body.to_vec(),
        };
        out_tables.push((*tag, body));
    }
    out_tables.sort_by_key(|(t, _)| *t);
    Ok(assemble(&out_tables))
}

fn checksum(d: &[u8]) -> u32 {
    let mut sum = 0u32;
    for chunk in d.chunks(4) {
        let mut b = [0u8; 4];
        b[..chunk.len()].copy_from_slice(chunk);
        sum = sum.wrapping_add(u32::from_be_bytes(b));
    }
    sum
}

fn assemble(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&(pow * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(n * 16 - pow * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, body) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(body).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += body.len().div_ceil(4) * 4;
    }
    for (_, body) in tables {
        out.extend_from_slice(body);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(h) = head_at {
        let adj = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[h + 8..h + 12].copy_from_slice(&adj.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_keeps_used_glyphs_and_parses() {
        let data = include_bytes!("../../../data/fonts/Sarabun-Regular.ttf");
        let face = rustybuzz::ttf_parser::Face::parse(data, 0).unwrap();
        let ko = face.glyph_index('ก').unwrap().0;
        let sub = subset(data, &[ko]).unwrap();
        assert!(sub.len() < data.len() / 4, "{} bytes", sub.len());
        let face2 = rustybuzz::ttf_parser::Face::parse(&sub, 0).unwrap();
        assert_eq!(face2.number_of_glyphs(), face.number_of_glyphs());
        let bbox = face2.glyph_bounding_box(rustybuzz::ttf_parser::GlyphId(ko));
        assert_eq!(bbox, face.glyph_bounding_box(rustybuzz::ttf_parser::GlyphId(ko)));
        let kho = face.glyph_index('ข').unwrap();
        assert!(face2.glyph_bounding_box(kho).is_none(), "unused glyphs are empty");
        assert_eq!(checksum(&sub), 0xB1B0_AFBA);
    }
}
