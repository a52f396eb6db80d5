//! Configuration errors, rendered like edgelint's findings: the file, line and column, the
//! line itself with a caret under the key or value, and what was expected.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer, Chars, Config};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The whole report, ready to print.
    pub rendered: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rendered.trim_end())
    }
}

impl std::error::Error for ConfigError {}

/// A path as the user knows it: relative to the current directory when inside it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    cwd.as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}

impl ConfigError {
    pub(crate) fn unreadable(path: &Path, error: &std::io::Error) -> Self {
        ConfigError {
            rendered: format!(
                "error: cannot read the configuration file {}: {error}\n",
                shown(path)
            ),
        }
    }

    /// A TOML syntax error or a value of the wrong shape (an unknown key, a string where a
    /// list belongs), as the TOML reader words it.
    pub(crate) fn from_toml(path: &Path, source: &str, error: &toml::de::Error) -> Self {
        let message = error.message().trim_end().to_string();
        match error.span() {
            Some(span) => Self::at(path, source, span, message, "here"),
            None => ConfigError {
                rendered: format!("error: {}: {message}\n", shown(path)),
            },
        }
    }

    /// An error pointing at `span` of the file.
    pub(crate) fn at(
        path: &Path,
        source: &str,
        span: Range<usize>,
        message: String,
        label: &str,
    ) -> Self {
        let file = SimpleFile::new(shown(path), source);
        let diagnostic = Diagnostic::error()
            .with_message(format!("invalid configuration: {message}"))
            .with_labels(vec![Label::primary((), span).with_message(label)]);
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        let mut buffer = Buffer::no_color();
        let styles = term::Styles::default();
        let mut writer = term::StylesWriter::new(&mut buffer, &styles);
        let rendered = match term::emit_to_write_style(&mut writer, &config, &file, &diagnostic) {
            Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
            Err(_) => format!("error: {}: invalid configuration: {message}\n", shown(path)),
        };
        ConfigError { rendered }
    }
}
