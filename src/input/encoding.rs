//! Text encodings of dataset files: UTF-8 with or without a byte-order mark, else
//! GB18030 (a superset of GBK, what Excel in China saves). Detected, never asked.

use encoding_rs::{DecoderResult, GB18030};

/// The encoding a file was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

/// Why bytes could not be decoded, with the 1-based line and cell column of the first bad
/// byte (the column counts commas on that line; quoted commas are rare enough to ignore).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Decodes file bytes. Valid UTF-8 wins (a GBK file is almost never valid UTF-8); anything
/// else must be valid GB18030.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_owned(), Encoding::Utf8Bom)),
            Err(e) => Err(error_at(
                rest,
                e.valid_up_to(),
                "invalid UTF-8 after a UTF-8 byte-order mark",
            )),
        };
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(DecodeError {
            line: 1,
            column: 1,
            message: "UTF-16 text is not supported".into(),
        });
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(s) if !looks_like_gbk(s, bytes) => return Ok((s.to_owned(), Encoding::Utf8)),
        Ok(_) => None,
        Err(e) => Some(e.valid_up_to()),
    };
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(4));
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        DecoderResult::InputEmpty => {
            // A GB18030 byte-order mark decodes to U+FEFF; drop it like the UTF-8 one.
            let text = out
                .strip_prefix('\u{FEFF}')
                .map(str::to_owned)
                .unwrap_or(out);
            Ok((text, Encoding::Gb18030))
        }
        DecoderResult::Malformed(bad, after) => {
            // Chinese read as UTF-8 before the bad byte: a UTF-8 file with a stray byte,
            // and that byte is the one to show.
            if let Some(valid) = utf8_error {
                let before = String::from_utf8_lossy(&bytes[..valid]);
                if before.chars().any(|c| c as u32 >= 0x800) {
                    return Err(error_at(bytes, valid, "invalid UTF-8"));
                }
            }
            let start = read.saturating_sub(bad as usize + after as usize);
            Err(error_at(bytes, start, "neither UTF-8 nor GB18030/GBK"))
        }
        // Cannot happen with a buffer of the maximal length; report rather than panic.
        DecoderResult::OutputFull => Err(error_at(bytes, read, "decoder buffer too small")),
    }
}

/// Short GBK text can be valid UTF-8 by accident ("学校" in GBK reads as "ѧУ"). A dataset
/// of Chinese schools in UTF-8 always has a character from U+0800 up (every CJK one), so
/// UTF-8 text whose non-ASCII characters are all below U+0800 is taken for GBK when it
/// decodes as GB18030 to some CJK text. The price: a UTF-8 file whose only non-ASCII text
/// is accented Latin ("Café") and no Chinese at all is read as GBK.
fn looks_like_gbk(s: &str, bytes: &[u8]) -> bool {
    let mut non_ascii = s.chars().filter(|c| !c.is_ascii()).peekable();
    if non_ascii.peek().is_none() || s.chars().any(|c| c as u32 >= 0x800) {
        return false;
    }
    GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some_and(|t| t.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)))
}

fn error_at(bytes: &[u8], pos: usize, what: &str) -> DecodeError {
    let pos = pos.min(bytes.len());
    let before = &bytes[..pos];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = 1 + before[line_start..].iter().filter(|&&b| b == b',').count();
    DecodeError {
        line,
        column,
        message: format!(
            "{what}: bad byte 0x{:02X}",
            bytes.get(pos).copied().unwrap_or(0)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8() {
        assert_eq!(
            decode("id,学校".as_bytes()).unwrap(),
            ("id,学校".into(), Encoding::Utf8)
        );
    }

    #[test]
    fn utf8_with_bom() {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice("学校编号".as_bytes());
        assert_eq!(decode(&b).unwrap(), ("学校编号".into(), Encoding::Utf8Bom));
    }

    #[test]
    fn gbk_bytes() {
        // "学校" in GBK.
        let b = [0xD1, 0xA7, 0xD0, 0xA3];
        assert_eq!(decode(&b).unwrap(), ("学校".into(), Encoding::Gb18030));
    }

    #[test]
    fn utf8_with_some_cjk_stays_utf8() {
        assert_eq!(decode("Café,学校".as_bytes()).unwrap().1, Encoding::Utf8);
        assert_eq!(decode("plain ascii".as_bytes()).unwrap().1, Encoding::Utf8);
    }

    #[test]
    fn gb18030_round_trip() {
        let text = "学校编号,学校名称\nS1,新建区第一小学\n";
        let (bytes, _, _) = GB18030.encode(text);
        assert_eq!(decode(&bytes).unwrap(), (text.into(), Encoding::Gb18030));
    }

    #[test]
    fn malformed_is_located() {
        let e = decode(b"a,b\nc,\xFF\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 2));
    }

    #[test]
    fn stray_byte_in_utf8_is_shown_where_it_is() {
        let mut b = "id,名\nT1,张三\nT2,".as_bytes().to_vec();
        b.push(0xFF);
        let e = decode(&b).unwrap_err();
        assert_eq!((e.line, e.column), (3, 2));
        assert!(e.message.starts_with("invalid UTF-8"), "{}", e.message);
    }

    #[test]
    fn utf16_refused() {
        assert!(decode(b"\xFF\xFEa\x00").is_err());
    }
}
