//! Checks on rendered HTML shared by the page tests.

/// Every element that must be closed is closed as often as it is opened (page elements and the
/// SVG elements of the charts), one h1, and the doctype first.
pub fn assert_balanced(uri: &str, html: &str) {
    for tag in [
        "html",
        "head",
        "body",
        "header",
        "main",
        "footer",
        "nav",
        "section",
        "div",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "ul",
        "ol",
        "li",
        "a",
        "p",
        "h1",
        "h2",
        "h3",
        "select",
        "option",
        "form",
        "label",
        "span",
        "q",
        "button",
        "strong",
        "figure",
        "figcaption",
        "svg",
        "title",
        "desc",
        "text",
    ] {
        let opened =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let closed = html.matches(&format!("</{tag}>")).count();
        assert_eq!(
            opened, closed,
            "{uri}: <{tag}> opened {opened}, closed {closed}"
        );
    }
    assert_eq!(html.matches("<h1").count(), 1, "{uri}: one h1");
    assert!(html.starts_with("<!doctype html>"), "{uri}: doctype");
}

/// The tbody rows of the table with this id.
pub fn body_rows(html: &str, table_id: &str) -> usize {
    let start = html.find(&format!(r#"id="{table_id}""#)).unwrap();
    let table = &html[start..];
    let tbody = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    tbody.matches("<tr>").count()
}
