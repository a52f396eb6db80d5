//! The files a rustc-style drawing shows: the lines of the finding's own file that its labels
//! touch, and at most one other file that the evidence points into, of which only the lines
//! holding that place are known. Both are [`Excerpt`]s.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use crate::excerpt::Excerpt;

pub(crate) const THIS_FILE: usize = 0;
pub(crate) const OTHER_FILE: usize = 1;

/// The finding's file and the evidence's other file, each with its name as the report shows it.
pub(crate) struct Sources<'a> {
    pub this: (&'a str, &'a Excerpt),
    pub other: Option<(&'a str, &'a Excerpt)>,
}

impl<'a> Sources<'a> {
    fn file(&self, id: usize) -> Result<(&'a str, &'a Excerpt), Error> {
        match id {
            THIS_FILE => Ok(self.this),
            _ => self.other.ok_or(Error::FileMissing),
        }
    }
}

impl<'a> Files<'a> for Sources<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.file(id)?.0)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        Ok(self.file(id)?.1.text())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        self.file(id)?.1.line_index(byte_index)
    }

    /// The excerpts' lines are numbered as in their files.
    fn line_number(&'a self, _id: usize, line_index: usize) -> Result<usize, Error> {
        Ok(line_index + 1)
    }

    fn column_number(
        &'a self,
        id: usize,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        self.file(id)?.1.column_number(byte_index)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        self.file(id)?.1.line_range(line_index)
    }
}
