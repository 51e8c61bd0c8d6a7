//! `--format html`: one self-contained page.

use super::RenderOptions;
use crate::rollup::model::Report;

/// Renders the page.
pub fn render(_report: &Report, _options: &RenderOptions) -> String {
    String::new()
}
