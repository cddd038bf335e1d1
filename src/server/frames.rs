//! A guard in front of tower-lsp's reader. tower-lsp stops reading for good after the first
//! frame it cannot decode (bad JSON, a garbage header), which would leave the editor with a
//! dead server. Here every frame is checked first: well-formed JSON-RPC messages pass through
//! unchanged and in order; anything else is logged to stderr and dropped.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Frames larger than this are skipped rather than buffered.
const MAX_FRAME: usize = 1 << 30;

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Content length from a header block, if it names a valid one.
fn content_length(headers: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(headers).ok()?;
    text.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())
            .flatten()
    })
}

/// Whether a body is a JSON-RPC 2.0 message tower-lsp can take.
pub fn is_message(body: &[u8]) -> bool {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return false;
    };
    let Some(obj) = v.as_object() else {
        return false;
    };
    if obj.get("jsonrpc").and_then(|j| j.as_str()) != Some("2.0") {
        return false;
    }
    let id_ok = obj
        .get("id")
        .is_none_or(|id| id.is_number() || id.is_string() || id.is_null());
    match obj.get("method") {
        Some(m) => {
            m.is_string()
                && id_ok
                && obj
                    .get("params")
                    .is_none_or(|p| p.is_object() || p.is_array() || p.is_null())
        }
        None => obj.contains_key("id") && (obj.contains_key("result") || obj.contains_key("error")),
    }
}

/// Copies valid frames from `input` to `output` until `input` ends.
pub async fn filter<R: AsyncRead + Unpin, W: AsyncWrite + Unpin>(mut input: R, mut output: W) {
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut chunk = vec![0u8; 1 << 16];
    let mut skip = 0usize; // bytes of an oversized frame still to discard
    loop {
        // Process every complete frame in the buffer.
        loop {
            if skip > 0 {
                let n = skip.min(buf.len());
                buf.drain(..n);
                skip -= n;
                if skip > 0 {
                    break;
                }
            }
            let Some(end) = find(&buf, b"\r\n\r\n") else {
                // Keep a partial header; drop junk that can never become one.
                if buf.len() > 8192 {
                    let keep = find(&buf, b"Content-Length").unwrap_or(buf.len());
                    buf.drain(..keep);
                }
                break;
            };
            let Some(len) = content_length(&buf[..end]) else {
                tracing::error!("dropped a frame with no valid Content-Length header");
                let next =
                    find(&buf[end + 4..], b"Content-Length").map_or(buf.len(), |i| end + 4 + i);
                buf.drain(..next);
                continue;
            };
            if len > MAX_FRAME {
                tracing::error!("dropped a frame of {len} bytes (over {MAX_FRAME})");
                buf.drain(..end + 4);
                skip = len;
                continue;
            }
            if buf.len() < end + 4 + len {
                break;
            }
            let frame: Vec<u8> = buf.drain(..end + 4 + len).collect();
            let body = &frame[end + 4..];
            if is_message(body) {
                let header = format!("Content-Length: {len}\r\n\r\n");
                if output.write_all(header.as_bytes()).await.is_err()
                    || output.write_all(body).await.is_err()
                {
                    return;
                }
            } else {
                let shown = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
                tracing::error!("dropped a message that is not JSON-RPC 2.0: {shown}");
            }
        }
        if output.flush().await.is_err() {
            return;
        }
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_messages() {
        assert!(is_message(
            br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#
        ));
        assert!(is_message(br#"{"jsonrpc":"2.0","id":1,"result":null}"#));
        assert!(!is_message(b"{not json"));
        assert!(!is_message(br#"{"jsonrpc":"1.0","method":"x"}"#));
        assert!(!is_message(br#"{"jsonrpc":"2.0","method":3}"#));
        assert!(!is_message(br#"[1, 2]"#));
    }

    #[tokio::test]
    async fn passes_good_frames_and_drops_bad_ones() {
        let good = br#"{"jsonrpc":"2.0","method":"a"}"#;
        let mut input = Vec::new();
        input.extend_from_slice(b"Content-Length: 9\r\n\r\n{not json");
        input.extend_from_slice(b"Content-Length: abc\r\n\r\ngarbage");
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", good.len()).as_bytes());
        input.extend_from_slice(good);
        let mut out = Vec::new();
        filter(&input[..], &mut out).await;
        let expected = [
            format!("Content-Length: {}\r\n\r\n", good.len()).into_bytes(),
            good.to_vec(),
        ]
        .concat();
        assert_eq!(out, expected);
    }
}
