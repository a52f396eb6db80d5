//! The files a rustc-style drawing shows: the lines of the finding's own file that its labels
//! touch, and at most one other file that the evidence points into, of which only the lines
//! holding that place are known.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use crate::excerpt::Excerpt;
use crate::ExternalPlace;

pub(crate) const THIS_FILE: usize = 0;
pub(crate) const OTHER_FILE: usize = 1;

pub(crate) struct Sources<'a> {
    pub this: &'a Excerpt,
    /// The name of the finding's file as the report shows it.
    pub name: &'a str,
    /// The other file, and its name as the drawing shows it.
    pub other: Option<(&'a ExternalPlace, &'a str)>,
}

impl Sources<'_> {
    fn other(&self) -> Result<&ExternalPlace, Error> {
        self.other.map(|(place, _)| place).ok_or(Error::FileMissing)
    }
}

impl<'a> Files<'a> for Sources<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        match id {
            THIS_FILE => Ok(self.name),
            _ => self.other.map(|(_, name)| name).ok_or(Error::FileMissing),
        }
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        match id {
            THIS_FILE => Ok(self.this.text()),
            _ => Ok(&self.other()?.snippet),
        }
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        match id {
            THIS_FILE => self.this.line_index(byte_index),
            _ => {
                let snippet = &self.other()?.snippet;
                let before = snippet.get(..byte_index).ok_or(Error::IndexTooLarge {
                    given: byte_index,
                    max: snippet.len(),
                })?;
                Ok(before.matches('\n').count())
            }
        }
    }

    /// The snippet's lines are numbered as in their file.
    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, Error> {
        match id {
            THIS_FILE => Ok(line_index + 1),
            _ => Ok(self.other()?.snippet_first_row + line_index),
        }
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        match id {
            THIS_FILE => self.this.column_number(byte_index),
            _ => {
                let snippet = &self.other()?.snippet;
                let start = self.line_range(id, line_index)?.start;
                let column = snippet
                    .get(start..byte_index)
                    .map_or(0, |text| text.chars().count());
                Ok(column + 1)
            }
        }
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        match id {
            THIS_FILE => self.this.line_range(line_index),
            _ => {
                let snippet = &self.other()?.snippet;
                let mut start = 0;
                for (index, line) in snippet.split_inclusive('\n').enumerate() {
                    if index == line_index {
                        return Ok(start..start + line.len());
                    }
                    start += line.len();
                }
                // codespan asks for the line after the last one when a span ends at the end.
                Ok(snippet.len()..snippet.len())
            }
        }
    }
}
