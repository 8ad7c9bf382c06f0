//! The PDF file structure: numbered objects, compressed streams, the
//! cross-reference table and the trailer (PDF 1.7).

use flate2::write::ZlibEncoder;
use flate2::Compression;
use std::io::Write;

pub(crate) struct PdfFile {
    buf: Vec<u8>,
    /// Byte offset of each object, by object number - 1 (0 until written).
    offsets: Vec<usize>,
}

impl PdfFile {
    pub fn new() -> PdfFile {
        let mut buf = Vec::with_capacity(64 * 1024);
        // A comment with bytes above 127 tells transfer tools the file is binary.
        buf.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        PdfFile {
            buf,
            offsets: Vec::new(),
        }
    }

    /// Reserves an object number, to be written later with [`PdfFile::object`].
    pub fn alloc(&mut self) -> u32 {
        self.offsets.push(0);
        self.offsets.len() as u32
    }

    /// Writes object `id` with `body` (a dictionary, array…).
    pub fn object(&mut self, id: u32, body: &[u8]) {
        self.offsets[id as usize - 1] = self.buf.len();
        writeln!(self.buf, "{id} 0 obj").unwrap();
        self.buf.extend_from_slice(body);
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    /// Writes object `id` as a stream, Flate-compressed; `dict` holds the
    /// dictionary entries other than /Length and /Filter.
    pub fn stream(&mut self, id: u32, dict: &str, data: &[u8]) {
        let mut z = ZlibEncoder::new(Vec::with_capacity(data.len() / 2), Compression::default());
        z.write_all(data).unwrap();
        let packed = z.finish().unwrap();
        self.offsets[id as usize - 1] = self.buf.len();
        write!(
            self.buf,
            "{id} 0 obj\n<< {dict} /Length {} /Filter /FlateDecode >>\nstream\n",
            packed.len()
        )
        .unwrap();
        self.buf.extend_from_slice(&packed);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// The cross-reference table and trailer; returns the file's bytes.
    pub fn finish(mut self, root: u32, info: u32) -> Vec<u8> {
        let xref = self.buf.len();
        write!(self.buf, "xref\n0 {}\n0000000000 65535 f \n", self.offsets.len() + 1).unwrap();
        for off in &self.offsets {
            writeln!(self.buf, "{off:010} 00000 n ").unwrap();
        }
        write!(
            self.buf,
            "trailer\n<< /Size {} /Root {root} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        )
        .unwrap();
        self.buf
    }
}

/// A text string for the document's metadata: UTF-16BE with a byte-order mark, in hex.
pub(crate) fn text_string(s: &str) -> String {
    let mut out = String::from("<FEFF");
    for u in s.encode_utf16() {
        out.push_str(&format!("{u:04X}"));
    }
    out.push('>');
    out
}

/// A number for a content stream: at most two decimals, no trailing zeros.
pub(crate) fn num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(text_string("ก"), "<FEFF0E01>");
    }

    #[test]
    fn xref_offsets_point_at_objects() {
        let mut f = PdfFile::new();
        let a = f.alloc();
        let b = f.alloc();
        f.object(b, b"<< /Type /Catalog >>");
        f.object(a, b"<< >>");
        let bytes = f.finish(b, a);
        let tail = std::str::from_utf8(&bytes[bytes.len() - 40..]).unwrap();
        let xref_at: usize = tail
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let xref = std::str::from_utf8(&bytes[xref_at..]).unwrap();
        assert!(xref.starts_with("xref"));
        let off: usize = xref.lines().nth(3).unwrap()[..10].parse().unwrap();
        assert!(bytes[off..].starts_with(b"1 0 obj"));
    }
}
