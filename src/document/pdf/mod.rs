//! PDF documents in Sarabun: the report layout (`report`, `chart`) and the
//! pieces it and the label sheet draw with (`canvas`, `font`), written by hand
//! (`writer`): a CID-keyed TrueType font with a ToUnicode CMap, vector graphics,
//! Flate-compressed streams.

pub(crate) mod canvas;
mod chart;
pub(crate) mod font;
mod report;
mod subset;
mod writer;

use crate::document::DocumentError;
use canvas::Page;
use font::Fonts;
use writer::{text_string, PdfFile};

pub(crate) use report::write;

/// A4 in points.
pub(crate) const A4: (f64, f64) = (595.28, 841.89);

/// A document being drawn: its fonts and pages.
pub(crate) struct Document {
    pub fonts: Fonts,
    pub pages: Vec<Page>,
}

impl Document {
    pub fn new() -> Result<Document, DocumentError> {
        Ok(Document {
            fonts: Fonts::sarabun()?,
            pages: Vec::new(),
        })
    }

    pub fn add_page(&mut self, width: f64, height: f64) -> usize {
        self.pages.push(Page::new(width, height));
        self.pages.len() - 1
    }

    /// The finished file: pages, fonts (subset to the glyphs drawn), metadata.
    pub fn finish(self, title: &str, lang: &str, out: &mut dyn std::io::Write) -> Result<(), DocumentError> {
        let mut pdf = PdfFile::new();
        let catalog = pdf.alloc();
        let pages_id = pdf.alloc();
        let info = pdf.alloc();
        let font_ids: Vec<u32> = self.fonts.0.iter().map(|_| pdf.alloc()).collect();
        let fonts_dict: String = font_ids
            .iter()
            .enumerate()
            .map(|(i, id)| format!("/F{} {id} 0 R ", i + 1))
            .collect();
        let mut kids = Vec::new();
        for page in &self.pages {
            let id = pdf.alloc();
            let content = pdf.alloc();
            kids.push(format!("{id} 0 R"));
            pdf.object(
                id,
                format!(
                    "<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {} {}] \
                     /Resources << /Font << {fonts_dict}>> >> /Contents {content} 0 R >>",
                    writer::num(page.width),
                    writer::num(page.height)
                )
                .as_bytes(),
            );
            pdf.stream(content, "", page.ops.as_bytes());
        }
        pdf.object(
            pages_id,
            format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), kids.len()).as_bytes(),
        );
        for (font, id) in self.fonts.0.iter().zip(&font_ids) {
            font.embed(&mut pdf, *id)?;
        }
        pdf.object(
            catalog,
            format!("<< /Type /Catalog /Pages {pages_id} 0 R /Lang ({lang}) >>").as_bytes(),
        );
        pdf.object(
            info,
            format!(
                "<< /Title {} /Producer (Tongtin) /Creator (Tongtin) >>",
                text_string(title)
            )
            .as_bytes(),
        );
        out.write_all(&pdf.finish(catalog, info))?;
        out.flush()?;
        Ok(())
    }
}
