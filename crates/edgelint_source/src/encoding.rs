//! PEP 263: the encoding a source file declares, its bytes decoded in it, and fixed text
//! encoded back into it.
//!
//! The declaration is found where CPython's tokenizer looks for it: a comment on line 1, or on
//! line 2 when line 1 holds nothing but blanks or a comment, in which `coding:` or `coding=`
//! is followed by a name. The name is resolved as Python resolves it (its spellings of UTF-8
//! and Latin-1 first, then the codec registry's normalisation and aliases). `encoding_rs`
//! supplies the tables, but it implements the web's Encoding Standard, whose labels do not
//! always mean what Python's codec of the same name means; where they differ, Python wins.

use encoding_rs::{DecoderResult, EncoderResult, Encoding};

use crate::read::SourceReadError;
use crate::write::SourceWriteError;

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// How a file's bytes were turned into text, kept so that fixed text can be written back in
/// the same encoding with [`encode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceEncoding {
    name: &'static str,
    codec: Codec,
    declared_on_line: Option<usize>,
    byte_order_mark: bool,
    /// Whether encoding the decoded text gives back the bytes that were read. It does for
    /// every encoding but a few multi-byte ones whose tables decode two byte sequences to one
    /// character (Shift_JIS's NEC and IBM copies of the same kanji, for one), and then only
    /// when such a sequence occurs.
    round_trips: bool,
}

impl SourceEncoding {
    /// What a file without a declaration or a byte order mark is in.
    pub const UTF8: SourceEncoding = SourceEncoding {
        name: "utf-8",
        codec: Codec::Utf8,
        declared_on_line: None,
        byte_order_mark: false,
        round_trips: true,
    };

    /// Python's name for the encoding (what `codecs.lookup(name).name` says): `utf-8`,
    /// `iso8859-1`, `cp1252`, `koi8-r`, `shift_jis`…
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The line (1 or 2) of the coding declaration, if the file has one.
    pub fn declared_on_line(&self) -> Option<usize> {
        self.declared_on_line
    }

    /// Whether the file starts with a UTF-8 byte order mark, which the decoded text keeps.
    pub fn has_byte_order_mark(&self) -> bool {
        self.byte_order_mark
    }

    /// Whether the text is the file's bytes as they are (UTF-8, declared or not).
    pub fn is_utf8(&self) -> bool {
        self.codec == Codec::Utf8
    }
}

impl Default for SourceEncoding {
    fn default() -> Self {
        SourceEncoding::UTF8
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
    Utf8,
    Ascii,
    /// Each byte is the code point of the same number. The Encoding Standard's `iso-8859-1`
    /// is windows-1252 instead, which has letters and symbols at 0x80–0x9F.
    Latin1,
    /// ASCII below 0x80 and a table from `encoding_rs` above, corrected to Python's: first
    /// the bytes 0x80–0x9F as a whole, then single bytes (`None` for one Python leaves
    /// undefined).
    SingleByte {
        table: &'static Encoding,
        c1: C1Bytes,
        overrides: &'static [(u8, Option<char>)],
    },
    /// Decoded and encoded by `encoding_rs`. Its tables are the web's, which accept a few
    /// more byte sequences than Python's codecs (vendor extensions) but agree on the rest.
    MultiByte(&'static Encoding),
}

/// What Python's codec makes of the bytes 0x80–0x9F where the Encoding Standard's table for
/// the same name does not agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum C1Bytes {
    /// The table is Python's.
    AsTable,
    /// Python's ISO 8859-9 and ISO 8859-11 decode them as the C1 control characters; the
    /// Encoding Standard reads those names as windows-1254 and windows-874, which put
    /// punctuation there.
    Controls,
    /// Python's windows code pages leave undefined the bytes that the Encoding Standard
    /// decodes to C1 control characters (0x81, 0x8D, 0x8F, 0x90 and 0x9D in cp1252).
    Undefined,
}

/// The encoding `bytes` declare (or UTF-8), with `round_trips` still to be learnt by decoding.
pub(crate) fn detect(bytes: &[u8]) -> Result<SourceEncoding, SourceReadError> {
    let byte_order_mark = bytes.starts_with(UTF8_BOM);
    let body = if byte_order_mark {
        &bytes[UTF8_BOM.len()..]
    } else {
        bytes
    };
    let Some(declaration) = find_declaration(body) else {
        return Ok(SourceEncoding {
            byte_order_mark,
            ..SourceEncoding::UTF8
        });
    };
    let line = declaration.line;
    let tokenizer_name = tokenizer_spelling(declaration.name);
    // With a byte order mark, Python insists that the declaration spell UTF-8 its own way:
    // even `utf8` is refused.
    if byte_order_mark && tokenizer_name != Some(TokenizerSpelling::Utf8) {
        return Err(SourceReadError::MarkDisagreesWithDeclaration {
            declared: declaration.name.to_string(),
            line,
        });
    }
    let (name, codec) = match tokenizer_name {
        Some(TokenizerSpelling::Utf8) => ("utf-8", Codec::Utf8),
        Some(TokenizerSpelling::Latin1) => ("iso8859-1", Codec::Latin1),
        None => resolve_codec(declaration.name, line)?,
    };
    Ok(SourceEncoding {
        name,
        codec,
        declared_on_line: Some(line),
        byte_order_mark,
        round_trips: true,
    })
}

/// Decodes `bytes` in `encoding`, which [`detect`] found for them, and records whether the
/// text encodes back to the same bytes.
pub(crate) fn decode_in(
    bytes: Vec<u8>,
    encoding: SourceEncoding,
) -> Result<(String, SourceEncoding), SourceReadError> {
    let decoded = match encoding.codec {
        Codec::Utf8 => {
            return String::from_utf8(bytes)
                .map(|text| (text, encoding))
                .map_err(|error| {
                    let offset = error.utf8_error().valid_up_to();
                    invalid_byte(error.as_bytes(), offset, encoding)
                });
        }
        Codec::Ascii => decode_ascii(&bytes),
        Codec::Latin1 => Ok(bytes.iter().map(|&byte| char::from(byte)).collect()),
        Codec::SingleByte {
            table,
            c1,
            overrides,
        } => decode_single_byte(&bytes, &upper_half(table, c1, overrides)),
        Codec::MultiByte(table) => decode_multi_byte(&bytes, table),
    };
    let text = decoded.map_err(|offset| invalid_byte(&bytes, offset, encoding))?;
    // Single-byte tables are one to one, so only a multi-byte table can fail to give back
    // the same bytes; checking here keeps a fix from rewriting bytes it did not touch.
    let round_trips = match encoding.codec {
        Codec::MultiByte(table) => encode_multi_byte(&text, table).is_ok_and(|back| back == bytes),
        _ => true,
    };
    Ok((
        text,
        SourceEncoding {
            round_trips,
            ..encoding
        },
    ))
}

/// Turns `text` (a file's text, fixed) back into bytes in the encoding it was decoded from.
/// A character the encoding has no bytes for is an error naming it and its line, and so is a
/// file whose bytes would not survive decoding and encoding unchanged.
pub fn encode(text: &str, encoding: SourceEncoding) -> Result<Vec<u8>, SourceWriteError> {
    if !encoding.round_trips {
        return Err(SourceWriteError {
            message: format!(
                "some of its {} byte sequences would not be written back as they were read \
                 (the encoding has two sequences for one character)",
                encoding.name
            ),
        });
    }
    let encoded = match encoding.codec {
        Codec::Utf8 => return Ok(text.as_bytes().to_vec()),
        Codec::Ascii => encode_by_char(text, |c| u8::try_from(c).ok().filter(u8::is_ascii)),
        Codec::Latin1 => encode_by_char(text, |c| u8::try_from(c).ok()),
        Codec::SingleByte {
            table,
            c1,
            overrides,
        } => {
            let upper = upper_half(table, c1, overrides);
            encode_by_char(text, |c| {
                if c.is_ascii() {
                    u8::try_from(c).ok()
                } else {
                    let index = upper.iter().position(|&entry| entry == Some(c))?;
                    u8::try_from(0x80 + index).ok()
                }
            })
        }
        Codec::MultiByte(table) => encode_multi_byte(text, table),
    };
    encoded.map_err(|offset| {
        let character = text[offset..].chars().next().unwrap_or_default();
        SourceWriteError {
            message: format!(
                "{} on line {} cannot be written in {}, the encoding of the file",
                describe_char(character),
                line_at(text.as_bytes(), offset),
                encoding.name
            ),
        }
    })
}

fn invalid_byte(bytes: &[u8], offset: usize, encoding: SourceEncoding) -> SourceReadError {
    SourceReadError::InvalidByte {
        encoding: encoding.name,
        declared_on_line: encoding.declared_on_line.filter(|_| !encoding.is_utf8()),
        line: line_at(bytes, offset),
        offset,
    }
}

/// The line, counted from 1, that holds the byte at `offset`; `\n`, `\r\n` and `\r` each end
/// a line, as they do for Python.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    let before = &bytes[..offset.min(bytes.len())];
    let line_ends = before
        .iter()
        .enumerate()
        .filter(|&(index, &byte)| {
            byte == b'\n' || (byte == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
        })
        .count();
    1 + line_ends
}

fn describe_char(character: char) -> String {
    let code = u32::from(character);
    if character.is_control() {
        format!("the character U+{code:04X}")
    } else {
        format!("the character `{character}` (U+{code:04X})")
    }
}

/// A coding declaration: the name as written, and the line it is on.
#[derive(Debug, PartialEq, Eq)]
struct Declaration<'a> {
    name: &'a str,
    line: usize,
}

/// The declaration on line 1, or on line 2 if line 1 is blank or only a comment.
fn find_declaration(source: &[u8]) -> Option<Declaration<'_>> {
    let (first, rest) = split_first_line(source);
    if let Some(name) = coding_name(first) {
        return Some(Declaration { name, line: 1 });
    }
    if !is_blank_or_comment(first) {
        return None;
    }
    let (second, _) = split_first_line(rest);
    coding_name(second).map(|name| Declaration { name, line: 2 })
}

/// The first line without its end, and what follows it.
fn split_first_line(bytes: &[u8]) -> (&[u8], &[u8]) {
    let Some(end) = bytes.iter().position(|&byte| matches!(byte, b'\n' | b'\r')) else {
        return (bytes, &[]);
    };
    let next = if bytes[end..].starts_with(b"\r\n") {
        end + 2
    } else {
        end + 1
    };
    (&bytes[..end], &bytes[next..])
}

/// The blanks Python's tokenizer allows before a comment.
fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\x0c')
}

/// What follows the `#` of a line that is only a comment (after blanks).
fn comment_of(line: &[u8]) -> Option<&[u8]> {
    let start = line.iter().position(|&byte| !is_blank(byte))?;
    line[start..].strip_prefix(b"#")
}

fn is_blank_or_comment(line: &[u8]) -> bool {
    line.iter().all(|&byte| is_blank(byte)) || comment_of(line).is_some()
}

/// The name in a comment line's `coding:name` or `coding=name`. Each occurrence of `coding`
/// is tried in turn, and the first one followed by a separator and a name wins.
fn coding_name(line: &[u8]) -> Option<&str> {
    const KEY: &[u8] = b"coding";
    let mut rest = comment_of(line)?;
    loop {
        let at = rest.windows(KEY.len()).position(|window| window == KEY)?;
        if let Some((b':' | b'=', after)) = rest[at + KEY.len()..].split_first() {
            let start = after
                .iter()
                .position(|&byte| !matches!(byte, b' ' | b'\t'))
                .unwrap_or(after.len());
            let value = &after[start..];
            let length = value
                .iter()
                .take_while(|&&byte| byte.is_ascii_alphanumeric() || b"-_.".contains(&byte))
                .count();
            if length > 0 {
                // Only ASCII was taken, so this cannot fail.
                return std::str::from_utf8(&value[..length]).ok();
            }
        }
        rest = &rest[at + 1..];
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenizerSpelling {
    Utf8,
    Latin1,
}

/// Python's tokenizer recognises UTF-8 and Latin-1 by itself, before asking the codec
/// registry, and accepts them with any suffix after a hyphen (Emacs's `utf-8-unix`), in any
/// case and with underscores for hyphens.
fn tokenizer_spelling(name: &str) -> Option<TokenizerSpelling> {
    let spelled: String = name
        .chars()
        .map(|c| {
            if c == '_' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let is = |base: &str| {
        spelled
            .strip_prefix(base)
            .is_some_and(|suffix| suffix.is_empty() || suffix.starts_with('-'))
    };
    if is("utf-8") {
        Some(TokenizerSpelling::Utf8)
    } else if ["latin-1", "iso-8859-1", "iso-latin-1"].into_iter().any(is) {
        Some(TokenizerSpelling::Latin1)
    } else {
        None
    }
}

/// Resolves a declared name through Python's codec registry: lower case, each run of
/// characters other than letters, digits and `.` made one `_` (none at either end), then the
/// aliases, tried again with `.` made `_`.
fn resolve_codec(declared: &str, line: usize) -> Result<(&'static str, Codec), SourceReadError> {
    let mut normalised = String::with_capacity(declared.len());
    let mut separated = false;
    for c in declared.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if separated && !normalised.is_empty() {
                normalised.push('_');
            }
            separated = false;
            normalised.push(c.to_ascii_lowercase());
        } else {
            separated = true;
        }
    }
    let underscored = normalised.replace('.', "_");
    if let Some(found) = python_codec(&normalised).or_else(|| python_codec(&underscored)) {
        return Ok(found);
    }
    Err(SourceReadError::UnusableEncoding {
        declared: declared.to_string(),
        line,
        supported_by_python: is_other_python_codec(&normalised)
            || is_other_python_codec(&underscored),
    })
}

/// Python's codecs that edgelint decodes, by their normalised names and aliases, with the
/// name `codecs.lookup` gives them.
fn python_codec(name: &str) -> Option<(&'static str, Codec)> {
    use encoding_rs as web;
    use C1Bytes::{AsTable, Controls, Undefined};
    let single = |table, c1| Codec::SingleByte {
        table,
        c1,
        overrides: &[],
    };
    let found = match name {
        "utf_8" | "utf_8_sig" | "u8" | "utf" | "utf8" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => {
            ("utf-8", Codec::Utf8)
        }
        "ascii" | "646" | "ansi_x3.4_1968" | "ansi_x3_4_1968" | "ansi_x3.4_1986" | "cp367"
        | "csascii" | "ibm367" | "iso646_us" | "iso_646.irv_1991" | "iso_ir_6" | "us"
        | "us_ascii" => ("ascii", Codec::Ascii),
        "latin_1" | "8859" | "cp819" | "csisolatin1" | "ibm819" | "iso8859" | "iso8859_1"
        | "iso_8859_1" | "iso_8859_1_1987" | "iso_ir_100" | "l1" | "latin" | "latin1" => {
            ("iso8859-1", Codec::Latin1)
        }
        "iso8859_2" | "csisolatin2" | "iso_8859_2" | "iso_8859_2_1987" | "iso_ir_101" | "l2"
        | "latin2" => ("iso8859-2", single(web::ISO_8859_2, AsTable)),
        "iso8859_3" | "csisolatin3" | "iso_8859_3" | "iso_8859_3_1988" | "iso_ir_109" | "l3"
        | "latin3" => ("iso8859-3", single(web::ISO_8859_3, AsTable)),
        "iso8859_4" | "csisolatin4" | "iso_8859_4" | "iso_8859_4_1988" | "iso_ir_110" | "l4"
        | "latin4" => ("iso8859-4", single(web::ISO_8859_4, AsTable)),
        "iso8859_5" | "csisolatincyrillic" | "cyrillic" | "iso_8859_5" | "iso_8859_5_1988"
        | "iso_ir_144" => ("iso8859-5", single(web::ISO_8859_5, AsTable)),
        "iso8859_6" | "arabic" | "asmo_708" | "csisolatinarabic" | "ecma_114" | "iso_8859_6"
        | "iso_8859_6_1987" | "iso_ir_127" => ("iso8859-6", single(web::ISO_8859_6, AsTable)),
        "iso8859_7" | "csisolatingreek" | "ecma_118" | "elot_928" | "greek" | "greek8"
        | "iso_8859_7" | "iso_8859_7_1987" | "iso_ir_126" => {
            ("iso8859-7", single(web::ISO_8859_7, AsTable))
        }
        "iso8859_8" | "csisolatinhebrew" | "hebrew" | "iso_8859_8" | "iso_8859_8_1988"
        | "iso_ir_138" => ("iso8859-8", single(web::ISO_8859_8, AsTable)),
        "iso8859_9" | "csisolatin5" | "iso_8859_9" | "iso_8859_9_1989" | "iso_ir_148" | "l5"
        | "latin5" => ("iso8859-9", single(web::WINDOWS_1254, Controls)),
        "iso8859_10" | "csisolatin6" | "iso_8859_10" | "iso_8859_10_1992" | "iso_ir_157" | "l6"
        | "latin6" => ("iso8859-10", single(web::ISO_8859_10, AsTable)),
        "iso8859_11" | "iso_8859_11" | "iso_8859_11_2001" | "thai" => {
            ("iso8859-11", single(web::WINDOWS_874, Controls))
        }
        "iso8859_13" | "iso_8859_13" | "l7" | "latin7" => {
            ("iso8859-13", single(web::ISO_8859_13, AsTable))
        }
        "iso8859_14" | "iso_8859_14" | "iso_8859_14_1998" | "iso_celtic" | "iso_ir_199" | "l8"
        | "latin8" => ("iso8859-14", single(web::ISO_8859_14, AsTable)),
        "iso8859_15" | "iso_8859_15" | "l9" | "latin9" => {
            ("iso8859-15", single(web::ISO_8859_15, AsTable))
        }
        "iso8859_16" | "iso_8859_16" | "iso_8859_16_2001" | "iso_ir_226" | "l10" | "latin10" => {
            ("iso8859-16", single(web::ISO_8859_16, AsTable))
        }
        "cp1250" | "1250" | "windows_1250" => ("cp1250", single(web::WINDOWS_1250, Undefined)),
        "cp1251" | "1251" | "windows_1251" => ("cp1251", single(web::WINDOWS_1251, Undefined)),
        "cp1252" | "1252" | "windows_1252" => ("cp1252", single(web::WINDOWS_1252, Undefined)),
        "cp1253" | "1253" | "windows_1253" => ("cp1253", single(web::WINDOWS_1253, Undefined)),
        "cp1254" | "1254" | "windows_1254" => ("cp1254", single(web::WINDOWS_1254, Undefined)),
        "cp1255" | "1255" | "windows_1255" => (
            "cp1255",
            Codec::SingleByte {
                table: web::WINDOWS_1255,
                c1: Undefined,
                // The Encoding Standard adds a Hebrew point Python's table does not have.
                overrides: &[(0xca, None)],
            },
        ),
        "cp1256" | "1256" | "windows_1256" => ("cp1256", single(web::WINDOWS_1256, Undefined)),
        "cp1257" | "1257" | "windows_1257" => ("cp1257", single(web::WINDOWS_1257, Undefined)),
        "cp1258" | "1258" | "windows_1258" => ("cp1258", single(web::WINDOWS_1258, Undefined)),
        "cp874" => ("cp874", single(web::WINDOWS_874, Undefined)),
        "tis_620" | "iso_ir_166" | "tis620" | "tis_620_0" | "tis_620_2529_0" | "tis_620_2529_1" => {
            (
                "tis-620",
                Codec::SingleByte {
                    table: web::WINDOWS_874,
                    c1: Controls,
                    // TIS-620 is ISO 8859-11 without the no-break space.
                    overrides: &[(0xa0, None)],
                },
            )
        }
        "cp866" | "866" | "csibm866" | "ibm866" => ("cp866", single(web::IBM866, AsTable)),
        "koi8_r" | "cskoi8r" => ("koi8-r", single(web::KOI8_R, AsTable)),
        "koi8_u" => (
            "koi8-u",
            Codec::SingleByte {
                table: web::KOI8_U,
                c1: AsTable,
                // The Encoding Standard's KOI8-U is KOI8-RU, with two Belarusian letters
                // where KOI8-U keeps KOI8-R's box drawing.
                overrides: &[(0xae, Some('\u{255d}')), (0xbe, Some('\u{256c}'))],
            },
        ),
        "mac_roman" | "macintosh" | "macroman" => ("mac-roman", single(web::MACINTOSH, AsTable)),
        "mac_cyrillic" | "maccyrillic" => ("mac-cyrillic", single(web::X_MAC_CYRILLIC, AsTable)),
        "gbk" | "936" | "cp936" | "ms936" => ("gbk", Codec::MultiByte(web::GBK)),
        "gb2312" | "chinese" | "csiso58gb231280" | "euc_cn" | "euccn" | "eucgb2312_cn"
        | "gb2312_1980" | "gb2312_80" | "iso_ir_58" | "x_mac_simp_chinese" => {
            ("gb2312", Codec::MultiByte(web::GBK))
        }
        "gb18030" | "gb18030_2000" => ("gb18030", Codec::MultiByte(web::GB18030)),
        "big5" | "big5_tw" | "csbig5" | "x_mac_trad_chinese" => {
            ("big5", Codec::MultiByte(web::BIG5))
        }
        "big5hkscs" | "big5_hkscs" | "hkscs" => ("big5hkscs", Codec::MultiByte(web::BIG5)),
        "cp950" | "950" | "ms950" => ("cp950", Codec::MultiByte(web::BIG5)),
        "euc_jp" | "eucjp" | "u_jis" | "ujis" => ("euc_jp", Codec::MultiByte(web::EUC_JP)),
        "shift_jis" | "csshiftjis" | "s_jis" | "shiftjis" | "sjis" | "x_mac_japanese" => {
            ("shift_jis", Codec::MultiByte(web::SHIFT_JIS))
        }
        "cp932" | "932" | "ms932" | "ms_kanji" | "mskanji" => {
            ("cp932", Codec::MultiByte(web::SHIFT_JIS))
        }
        "euc_kr" | "euckr" | "korean" | "ks_c_5601" | "ks_c_5601_1987" | "ks_x_1001"
        | "ksc5601" | "ksx1001" | "x_mac_korean" => ("euc_kr", Codec::MultiByte(web::EUC_KR)),
        "cp949" | "949" | "ms949" | "uhc" => ("cp949", Codec::MultiByte(web::EUC_KR)),
        "iso2022_jp" | "csiso2022jp" | "iso2022jp" | "iso_2022_jp" => {
            ("iso2022_jp", Codec::MultiByte(web::ISO_2022_JP))
        }
        _ => return None,
    };
    Some(found)
}

/// Python's other text codecs, which have no table in `encoding_rs` (or, for UTF-16 and
/// UTF-32, cannot hold a declaration Python would read), by their normalised names.
fn is_other_python_codec(name: &str) -> bool {
    matches!(
        name,
        "cp037"
            | "cp273"
            | "cp424"
            | "cp437"
            | "cp500"
            | "cp720"
            | "cp737"
            | "cp775"
            | "cp850"
            | "cp852"
            | "cp855"
            | "cp856"
            | "cp857"
            | "cp858"
            | "cp860"
            | "cp861"
            | "cp862"
            | "cp863"
            | "cp864"
            | "cp865"
            | "cp869"
            | "cp875"
            | "cp1006"
            | "cp1026"
            | "cp1125"
            | "cp1140"
            | "euc_jis_2004"
            | "euc_jisx0213"
            | "hp_roman8"
            | "hz"
            | "iso2022_jp_1"
            | "iso2022_jp_2"
            | "iso2022_jp_2004"
            | "iso2022_jp_3"
            | "iso2022_jp_ext"
            | "iso2022_kr"
            | "johab"
            | "koi8_t"
            | "kz1048"
            | "mac_arabic"
            | "mac_croatian"
            | "mac_farsi"
            | "mac_greek"
            | "mac_iceland"
            | "mac_latin2"
            | "mac_romanian"
            | "mac_turkish"
            | "palmos"
            | "ptcp154"
            | "shift_jis_2004"
            | "shift_jisx0213"
            | "utf_7"
            | "utf_16"
            | "utf_16_be"
            | "utf_16_le"
            | "utf_32"
            | "utf_32_be"
            | "utf_32_le"
    )
}

fn decode_ascii(bytes: &[u8]) -> Result<String, usize> {
    match bytes.iter().position(|&byte| !byte.is_ascii()) {
        Some(offset) => Err(offset),
        None => Ok(bytes.iter().map(|&byte| char::from(byte)).collect()),
    }
}

/// The characters of the bytes 0x80–0xFF as Python's codec has them, `None` where it has none.
fn upper_half(
    table: &'static Encoding,
    c1: C1Bytes,
    overrides: &[(u8, Option<char>)],
) -> [Option<char>; 128] {
    std::array::from_fn(|index| {
        let byte = 0x80 | index as u8;
        if let Some(&(_, corrected)) = overrides.iter().find(|&&(wrong, _)| wrong == byte) {
            return corrected;
        }
        let decoded = table
            .decode_without_bom_handling_and_without_replacement(&[byte])
            .and_then(|text| text.chars().next());
        match c1 {
            C1Bytes::Controls if byte <= 0x9f => Some(char::from(byte)),
            C1Bytes::Undefined => decoded.filter(|&c| !('\u{80}'..='\u{9f}').contains(&c)),
            _ => decoded,
        }
    })
}

fn decode_single_byte(bytes: &[u8], upper: &[Option<char>; 128]) -> Result<String, usize> {
    let mut text = String::with_capacity(bytes.len());
    for (offset, &byte) in bytes.iter().enumerate() {
        let character = match byte.checked_sub(0x80) {
            None => char::from(byte),
            Some(index) => upper[usize::from(index)].ok_or(offset)?,
        };
        text.push(character);
    }
    Ok(text)
}

fn decode_multi_byte(bytes: &[u8], table: &'static Encoding) -> Result<String, usize> {
    let mut decoder = table.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut read = 0;
    loop {
        let remaining = bytes.len() - read;
        text.reserve(
            decoder
                .max_utf8_buffer_length_without_replacement(remaining)
                .unwrap_or(remaining),
        );
        let (result, consumed) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut text, true);
        read += consumed;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(length, after) => {
                return Err(read.saturating_sub(usize::from(length) + usize::from(after)));
            }
        }
    }
}

/// Encodes character by character; `Err` holds the offset of the first one without bytes.
fn encode_by_char(text: &str, byte_of: impl Fn(char) -> Option<u8>) -> Result<Vec<u8>, usize> {
    text.char_indices()
        .map(|(offset, character)| byte_of(character).ok_or(offset))
        .collect()
}

fn encode_multi_byte(text: &str, table: &'static Encoding) -> Result<Vec<u8>, usize> {
    let mut encoder = table.new_encoder();
    let mut bytes = Vec::new();
    let mut read = 0;
    loop {
        let remaining = &text[read..];
        bytes.reserve(
            encoder
                .max_buffer_length_from_utf8_without_replacement(remaining.len())
                .unwrap_or(remaining.len()),
        );
        let (result, consumed) =
            encoder.encode_from_utf8_to_vec_without_replacement(remaining, &mut bytes, true);
        read += consumed;
        match result {
            EncoderResult::InputEmpty => return Ok(bytes),
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(character) => return Err(read - character.len_utf8()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode_with_encoding;

    fn decoded(bytes: &[u8]) -> (String, SourceEncoding) {
        decode_with_encoding(bytes.to_vec()).unwrap()
    }

    fn refused(bytes: &[u8]) -> String {
        decode_with_encoding(bytes.to_vec())
            .unwrap_err()
            .to_string()
    }

    /// Decodes `bytes`, encodes the text again, and checks that the bytes came back.
    fn assert_round_trip(bytes: &[u8]) {
        let (text, encoding) = decoded(bytes);
        assert_eq!(
            encode(&text, encoding).unwrap(),
            bytes,
            "{}",
            encoding.name()
        );
    }

    #[test]
    fn latin1_declared_on_line_1() {
        let (text, encoding) = decoded(b"# -*- coding: latin-1 -*-\ns = 'caf\xe9'\n");
        assert_eq!(text, "# -*- coding: latin-1 -*-\ns = 'caf\u{e9}'\n");
        assert_eq!(encoding.name(), "iso8859-1");
        assert_eq!(encoding.declared_on_line(), Some(1));
        assert!(!encoding.is_utf8());
    }

    #[test]
    fn latin1_declared_on_line_2_after_a_shebang() {
        let (text, encoding) = decoded(b"#!/usr/bin/env python\n# coding: latin-1\ns = '\xe9'\n");
        assert!(text.ends_with("s = '\u{e9}'\n"), "{text}");
        assert_eq!(encoding.declared_on_line(), Some(2));
    }

    #[test]
    fn declared_on_line_2_after_a_blank_line() {
        let (text, _) = decoded(b" \t\x0c\n# coding: latin-1\ns = '\xe9'\n");
        assert!(text.ends_with("s = '\u{e9}'\n"), "{text}");
    }

    #[test]
    fn declaration_on_line_2_is_not_honoured_after_code() {
        let message = refused(b"import os\n# coding: latin-1\ns = '\xe9'\n");
        assert_eq!(
            message,
            "file is not valid UTF-8: invalid byte at line 3 (byte offset 33)"
        );
    }

    #[test]
    fn declaration_on_line_3_is_not_honoured() {
        let message = refused(b"#!/usr/bin/env python\n\n# coding: latin-1\ns = '\xe9'\n");
        assert!(message.starts_with("file is not valid UTF-8"), "{message}");
    }

    #[test]
    fn declaration_after_code_on_line_1_is_not_honoured() {
        let message = refused(b"x = 1  # coding: latin-1\ns = '\xe9'\n");
        assert!(message.starts_with("file is not valid UTF-8"), "{message}");
    }

    #[test]
    fn carriage_returns_end_lines_when_looking_for_the_declaration() {
        let (text, encoding) = decoded(b"#!python\r# coding=latin-1\rs = '\xe9'\r");
        assert_eq!(encoding.declared_on_line(), Some(2));
        assert!(text.ends_with("s = '\u{e9}'\r"), "{text:?}");
    }

    #[test]
    fn editor_spellings_of_the_declaration() {
        for line in [
            "# vim: set fileencoding=latin-1 :",
            "# -*- coding: latin-1-unix -*-",
            "#coding:latin_1",
            "# This file's encoding: iso-latin-1",
            "# coding is explained below; coding: latin-1",
        ] {
            let mut bytes = format!("{line}\ns = '").into_bytes();
            bytes.extend(b"\xe9'\n");
            let (_, encoding) = decoded(&bytes);
            assert_eq!(encoding.name(), "iso8859-1", "{line}");
        }
    }

    #[test]
    fn coding_without_a_separator_or_a_name_is_no_declaration() {
        for line in ["# coding latin-1", "# coding: ", "# Coding: latin-1"] {
            let (_, encoding) = decoded(format!("{line}\nx = 1\n").as_bytes());
            assert_eq!(encoding, SourceEncoding::UTF8, "{line}");
        }
    }

    #[test]
    fn names_are_normalised_and_aliases_resolved_as_python_does() {
        for (declared, name) in [
            ("ISO-8859-15", "iso8859-15"),
            ("iso8859_15", "iso8859-15"),
            ("latin9", "iso8859-15"),
            ("L1", "iso8859-1"),
            ("windows-1252", "cp1252"),
            ("UTF8", "utf-8"),
            ("utf-8-sig", "utf-8"),
            ("Shift-JIS", "shift_jis"),
            ("sjis", "shift_jis"),
            ("euc-jp", "euc_jp"),
            ("GBK", "gbk"),
            ("big5", "big5"),
            ("us-ascii", "ascii"),
            ("iso-8859.5", "iso8859-5"),
        ] {
            let (_, encoding) = decoded(format!("# coding: {declared}\nx = 1\n").as_bytes());
            assert_eq!(encoding.name(), name, "{declared}");
        }
    }

    #[test]
    fn latin1_is_pythons_not_windows_1252() {
        // The Encoding Standard reads `latin-1` as windows-1252, where 0x80 is the euro sign.
        let (text, _) = decoded(b"# coding: latin-1\n\x80\x9f\xff");
        assert_eq!(text, "# coding: latin-1\n\u{80}\u{9f}\u{ff}");
    }

    #[test]
    fn cp1252() {
        let (text, encoding) = decoded(b"# coding: cp1252\ns = '\x80 \x93quoted\x94'\n");
        assert_eq!(
            text,
            "# coding: cp1252\ns = '\u{20ac} \u{201c}quoted\u{201d}'\n"
        );
        assert_eq!(encoding.name(), "cp1252");
    }

    #[test]
    fn cp1252_leaves_undefined_what_python_leaves_undefined() {
        assert_eq!(
            refused(b"# coding: cp1252\ns = '\x81'\n"),
            "file is not valid cp1252 (declared on line 1): invalid byte at line 2 \
             (byte offset 22)"
        );
    }

    #[test]
    fn koi8_r() {
        let (text, encoding) = decoded(b"# coding: koi8-r\ns = '\xf0\xd2\xc9\xd7\xc5\xd4'\n");
        assert_eq!(
            text,
            "# coding: koi8-r\ns = '\u{41f}\u{440}\u{438}\u{432}\u{435}\u{442}'\n"
        );
        assert_eq!(encoding.name(), "koi8-r");
    }

    #[test]
    fn koi8_u_keeps_the_box_drawing_of_koi8_r() {
        let (text, _) = decoded(b"# coding: koi8-u\n\xa4\xae\xbe");
        assert!(text.ends_with("\u{454}\u{255d}\u{256c}"), "{text:?}");
    }

    #[test]
    fn shift_jis() {
        let (text, _) = decoded(b"# coding: shift_jis\ns = '\x93\xfa\x96\x7b'\n");
        assert_eq!(text, "# coding: shift_jis\ns = '\u{65e5}\u{672c}'\n");
    }

    #[test]
    fn unknown_encoding() {
        assert_eq!(
            refused(b"# coding: foo\nx = 1\n"),
            "unknown encoding `foo` declared on line 1"
        );
        assert_eq!(
            refused(b"#!/usr/bin/env python\n# -*- coding: latin-2-unix -*-\n"),
            "unknown encoding `latin-2-unix` declared on line 2"
        );
    }

    #[test]
    fn python_encoding_without_a_table_here() {
        assert_eq!(
            refused(b"# coding: cp437\nx = 1\n"),
            "unsupported encoding `cp437` declared on line 1"
        );
    }

    #[test]
    fn invalid_bytes_for_the_declared_encoding() {
        assert_eq!(
            refused(b"# coding: ascii\nx = 1\ns = '\xe9'\n"),
            "file is not valid ascii (declared on line 1): invalid byte at line 3 \
             (byte offset 27)"
        );
        // A lead byte without its trail byte.
        assert_eq!(
            refused(b"# coding: shift_jis\nx = 1\ns = '\x82'\n"),
            "file is not valid shift_jis (declared on line 1): invalid byte at line 3 \
             (byte offset 31)"
        );
    }

    #[test]
    fn invalid_bytes_for_a_declared_utf8() {
        assert_eq!(
            refused(b"# coding: utf-8\ns = '\xe9'\n"),
            "file is not valid UTF-8: invalid byte at line 2 (byte offset 21)"
        );
    }

    #[test]
    fn nul_bytes_mean_binary_whatever_the_declaration() {
        let message = refused(b"# coding: latin-1\n\x00");
        assert!(message.starts_with("binary file"), "{message}");
    }

    #[test]
    fn byte_order_mark_with_a_utf8_declaration() {
        let (text, encoding) = decoded(b"\xef\xbb\xbf# coding: utf-8\ns = '\xc3\xa9'\n");
        assert_eq!(text, "\u{feff}# coding: utf-8\ns = '\u{e9}'\n");
        assert!(encoding.has_byte_order_mark());
        assert!(encoding.is_utf8());
        assert_eq!(encoding.declared_on_line(), Some(1));
    }

    #[test]
    fn byte_order_mark_with_a_latin1_declaration_is_an_error() {
        assert_eq!(
            refused(b"\xef\xbb\xbf# coding: latin-1\nx = 1\n"),
            "the file starts with a UTF-8 byte order mark but declares encoding `latin-1` on \
             line 1; with the mark, Python accepts only `utf-8`"
        );
    }

    #[test]
    fn byte_order_mark_needs_pythons_own_spelling_of_utf8() {
        // CPython refuses `utf8` after a byte order mark, though the codec is the same.
        let message = refused(b"\xef\xbb\xbf# coding: utf8\nx = 1\n");
        assert!(message.contains("byte order mark"), "{message}");
    }

    #[test]
    fn decoding_then_encoding_gives_the_same_bytes() {
        let every_byte: Vec<u8> = (1..=255).collect();
        let mut latin1 = b"# coding: latin-1\n".to_vec();
        latin1.extend(&every_byte);
        assert_round_trip(&latin1);
        assert_round_trip(b"# coding: cp1252\ns = '\x80 \x93\x94'\n");
        assert_round_trip(b"# coding: koi8-r\ns = '\xf0\xd2\xc9\xd7\xc5\xd4'\n");
        assert_round_trip(b"# coding: iso8859-9\ns = '\x80\xd0\xfe'\n");
        assert_round_trip(b"# coding: shift_jis\ns = '\x93\xfa\x96\x7b'\n");
        assert_round_trip(b"# coding: euc-jp\ns = '\xc6\xfc\xcb\xdc'\n");
        assert_round_trip(b"\xef\xbb\xbfs = '\xc3\xa9'\n");
        assert_round_trip(b"s = 1\r\n");
    }

    #[test]
    fn fixed_text_is_encoded_in_the_files_encoding() {
        let (text, encoding) = decoded(b"# coding: latin-1\nx = list('caf\xe9')\n");
        let fixed = text.replace("list('caf\u{e9}')", "'caf\u{e9}'");
        assert_eq!(
            encode(&fixed, encoding).unwrap(),
            b"# coding: latin-1\nx = 'caf\xe9'\n"
        );
    }

    #[test]
    fn a_character_the_encoding_cannot_hold_is_an_error() {
        let (text, encoding) = decoded(b"# coding: latin-1\nx = 1\n");
        let error = encode(&format!("{text}s = '\u{20ac}'\n"), encoding).unwrap_err();
        assert_eq!(
            error.message,
            "the character `\u{20ac}` (U+20AC) on line 3 cannot be written in iso8859-1, the \
             encoding of the file"
        );
        let (text, encoding) = decoded(b"# coding: shift_jis\nx = 1\n");
        let error = encode(&format!("{text}s = '\u{e9}'\n"), encoding).unwrap_err();
        assert!(error.message.contains("U+00E9) on line 3"), "{error}");
    }

    #[test]
    fn a_file_whose_bytes_would_change_is_not_encoded() {
        // NEC's copy of an IBM kanji: decoded fine, but encoded back as IBM's bytes.
        let (text, encoding) = decoded(b"# coding: cp932\ns = '\xed\x40'\n");
        let error = encode(&text, encoding).unwrap_err();
        assert!(
            error.message.contains("would not be written back"),
            "{error}"
        );
    }
}
