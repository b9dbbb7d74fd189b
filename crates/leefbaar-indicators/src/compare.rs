//! Comparing an area's value with a reference area's (the province, the Netherlands), as the
//! API's area profile shows it: "Emmen 24.9 % vs Drenthe 23.6 % vs NL 20.1 %".

use leefbaar_model::CellValue;

/// How a value compares with a reference value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// `value − reference`, in the indicator's unit; for a percentage this is percentage points.
    pub difference: f64,
    /// `100 × value / reference`: 100 means equal, 110 means 10 % higher. `None` when the
    /// reference is 0, where the ratio has no meaning.
    pub ratio_index: Option<f64>,
}

/// Compares `value` with `reference`.
///
/// # Units
///
/// `difference` is in the unit of the two values (which must share one); `ratio_index` is an
/// index with the reference = 100.
///
/// ```
/// use leefbaar_indicators::compare;
///
/// // Share 65+ in a municipality (24.9 %) against Drenthe (23.6 %).
/// let comparison = compare(24.9, 23.6);
/// assert!((comparison.difference - 1.3).abs() < 1e-9);
/// assert!((comparison.ratio_index.unwrap() - 105.508_474_576).abs() < 1e-6);
/// ```
pub fn compare(value: f64, reference: f64) -> Comparison {
    Comparison {
        difference: value - reference,
        ratio_index: (reference != 0.0).then(|| 100.0 * value / reference),
    }
}

/// Compares two cells; `None` when either has no number.
pub fn compare_cells(value: CellValue, reference: CellValue) -> Option<Comparison> {
    Some(compare(value.value()?, reference.value()?))
}
