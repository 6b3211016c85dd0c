//! Problems found in a kb, located by file and line, rendered once by `main`.

use std::fmt;
use std::path::PathBuf;

/// One problem in one file that stops it from being indexed. Lines and columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            line,
            column: 1,
            message: message.into(),
        }
    }

    pub fn at_column(mut self, column: usize) -> Diagnostic {
        self.column = column.max(1);
        self
    }
}

/// `path:line:col: error: message`, the format editors and CI annotate from.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.path.display(),
            self.line.max(1),
            self.column,
            self.message
        )
    }
}
