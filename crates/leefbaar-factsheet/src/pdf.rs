//! The sheet as an A4 PDF, laid out in-process by typst: fonts embedded from `typst-assets`,
//! the map inset and the charts as vector SVG with alt text, the document language set and
//! tagged PDF on.

use std::fmt::Write as _;
use std::sync::LazyLock;

use leefbaar_model::AreaLevel;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt as _, World};
use typst_layout::PagedDocument;

use crate::chart::svg;
use crate::present::{format_number, level_name, signed};
use crate::text::notice_words;
use crate::{FactsheetData, FactsheetError, Lang, summary};

/// The standard library and the bundled fonts, loaded once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// One compilation: the generated source and nothing else (no files, no clock).
struct SheetWorld {
    source: Source,
}

impl World for SheetWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }
    fn main(&self) -> FileId {
        self.source.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// A typst string literal.
fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The boxed notice at the top of a sheet from a synthetic source, in both languages with the
/// source's own words (as in the HTML); empty without a notice.
fn notice(data: &FactsheetData) -> String {
    let Some(notice) = &data.notice else {
        return String::new();
    };
    let lang = data.lang;
    let other = match lang {
        Lang::Nl => Lang::En,
        Lang::En => Lang::Nl,
    };
    let (heading, sentence) = notice_words(lang);
    let (_, other_sentence) = notice_words(other);
    format!(
        r##"#block(width: 100%, inset: 6pt, fill: rgb("#fef3f2"), stroke: 1.5pt + rgb("#b42318"))[#text(weight: "bold", fill: rgb("#7a271a"))[#{}] \ #text(size: 8pt, weight: "bold")[#{}] \ #text(size: 8pt, lang: "{}")[#{}] \ #text(size: 7pt)[#{}]]
"##,
        lit(&heading.to_uppercase()),
        lit(sentence),
        other.code(),
        lit(other_sentence),
        lit(notice)
    )
}

/// The typst source of a sheet.
fn markup(data: &FactsheetData) -> String {
    let lang = data.lang;
    let theme = data.theme.title(lang);
    let mut out = String::with_capacity(64 * 1024);
    let _ = writeln!(
        out,
        r##"#set document(title: {title}, author: "Leefbaar")
#set page(paper: "a4", margin: 12mm)
#set text(lang: "{code}", font: ("Libertinus Serif", "DejaVu Sans Mono"), size: 9.5pt)
#set par(justify: false)
{notice}#grid(columns: {columns}, column-gutter: 10pt, [
#text(size: 8pt, fill: luma(90))[#{kicker}]
#heading(level: 1)[#{name}]
#text(fill: luma(70))[#{sub}]
#line(length: 100%, stroke: 1.5pt + rgb("#1f4e79"))
#heading(level: 2)[#{summary_h}]
#{summary}
],{map})
#heading(level: 2)[#{key_h}]"##,
        title = lit(&format!("{} — {} {}", data.name, theme, data.year)),
        code = lang.code(),
        notice = notice(data),
        kicker = lit(&format!(
            "{} · {} · {}",
            lang.pick("Feitenblad", "Fact sheet"),
            theme,
            data.year
        )),
        name = lit(&data.name),
        sub = lit(&format!(
            "{} {}{}{}",
            data.level,
            data.code,
            data.municipality.as_ref().map_or(String::new(), |m| format!(
                ", {} {m}",
                level_name(AreaLevel::Municipality, lang)
            )),
            data.province.as_ref().map_or(String::new(), |p| format!(
                ", {} {p}",
                level_name(AreaLevel::Province, lang)
            ))
        )),
        // The map inset beside the title and summary, as a vector image with its text
        // alternative.
        columns = if data.map.is_some() { "(1fr, 38mm)" } else { "(1fr,)" },
        map = data.map.as_ref().map_or(String::new(), |map| format!(
            " align(bottom + center, figure(image(bytes({svg}), format: \"svg\", width: {width:.1}mm, alt: {alt}), caption: text(size: 7pt, fill: luma(60))[#{caption}], supplement: none, numbering: none, gap: 3pt))",
            // At most 38 mm wide and 36 mm high, so that a tall area does not push the
            // sheet onto a second page.
            width = 38f64.min(36.0 * map.width / map.height),
            svg = lit(&crate::map::svg(map, "map")),
            alt = lit(&format!("{} {}", map.title, map.description)),
            caption = lit(&map.caption),
        )),
        summary_h = lit(lang.pick("Samenvatting", "Summary")),
        summary = lit(&summary(data)),
        key_h = lit(lang.pick("Kerncijfers", "Key figures")),
    );
    out.push_str("#grid(columns: (1fr,) * 4, gutter: 5pt,\n");
    for figure in &data.key_figures {
        let show = |v: f64| {
            if figure.indicator.contains("change") {
                signed(v, figure.decimals, lang)
            } else {
                format_number(v, figure.decimals, lang)
            }
        };
        let mut cmp = Vec::new();
        if let (Some(m), Some(municipality)) = (figure.municipality, &data.municipality) {
            cmp.push(format!("{municipality} {}", show(m)));
        }
        if let (Some(p), Some(province)) = (figure.province, &data.province) {
            cmp.push(format!("{province} {}", show(p)));
        }
        if let Some(c) = figure.country {
            cmp.push(format!("{} {}", data.country, show(c)));
        }
        let label = if figure.year == data.year {
            figure.label.clone()
        } else {
            format!("{} ({})", figure.label, figure.year)
        };
        let _ = writeln!(
            out,
            r##"  block(width: 100%, inset: 5pt, stroke: (top: 3pt + rgb("#1f4e79"), rest: 0.5pt + luma(200)))[#text(size: 7.5pt, weight: "bold", fill: luma(60))[#{label}] \ #text(size: 14pt, weight: "bold")[#{value}] #text(size: 7.5pt)[#{unit}] \ #text(size: 7pt, fill: luma(60))[#{cmp}]],"##,
            label = lit(&label),
            value = lit(&show(figure.value)),
            unit = lit(&figure.unit),
            cmp = lit(&cmp.join(" · ")),
        );
    }
    out.push_str(")\n");
    let _ = writeln!(
        out,
        "#heading(level: 2)[#{}]",
        lit(lang.pick("Grafieken", "Charts"))
    );
    out.push_str("#grid(columns: (1fr, 1fr), gutter: 8pt,\n");
    for chart in &data.charts {
        let _ = writeln!(
            out,
            "  figure(image(bytes({svg}), format: \"svg\", width: 100%, alt: {alt}), caption: [#{title}], supplement: none, numbering: none),",
            svg = lit(&svg(chart, lang)),
            alt = lit(&format!("{} {}", chart.title, chart.description)),
            title = lit(&chart.title),
        );
    }
    out.push_str(")\n");
    let _ = writeln!(
        out,
        "#v(1fr)\n#line(length: 100%, stroke: 0.5pt + luma(180))\n#set text(size: 7pt, fill: luma(60))\n*#{}*",
        lit(lang.pick("Bronnen en licenties", "Sources and licences"))
    );
    for source in &data.sources {
        let _ = writeln!(
            out,
            "- #{}",
            lit(&format!(
                "{} — {} ({})",
                source.attribution, source.table, source.licence
            ))
        );
    }
    let _ = writeln!(out, "*#{}*", lit(lang.pick("Methode", "Method")));
    for note in &data.notes {
        let _ = writeln!(out, "- #{}", lit(note));
    }
    let _ = writeln!(
        out,
        "#{}",
        lit(&format!(
            "{} {} · Leefbaar",
            lang.pick("Gemaakt op", "Made on"),
            data.date
        ))
    );
    out
}

/// Renders the sheet as an A4 PDF (tagged, fonts embedded, charts as vectors).
pub fn pdf(data: &FactsheetData) -> Result<Vec<u8>, FactsheetError> {
    let world = SheetWorld {
        source: Source::detached(markup(data)),
    };
    let messages = |errors: &[typst::diag::SourceDiagnostic]| {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| FactsheetError::Pdf(messages(&errors)))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| FactsheetError::Pdf(messages(&errors)))
}
