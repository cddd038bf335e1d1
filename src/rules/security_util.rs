//! What the chapter-19 (security) rules share: the words of a name, which names hold secrets,
//! the one value a name is bound to in a function, and a narrow, documented idea of "data from
//! outside" (a request body, a socket read, a network response).

use super::conc_common::bindings;
use super::{Ctx, Node};
use crate::syntax::ast::{Constant, Expr, Stmt};

/// The words of an identifier, lower-cased: `apiKey` and `API_KEY` both give `["api", "key"]`.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in name.split(['_', '-', '.', ' ']) {
        let mut cur = String::new();
        let chars: Vec<char> = part.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if c.is_ascii_uppercase()
                && !cur.is_empty()
                && (prev_lower || (prev_upper && next_lower))
            {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c.to_ascii_lowercase());
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// First words that make `key` a secret (`api_key`, `private_key`, `accessKey`).
const KEY_KINDS: &[&str] = &["api", "private", "access", "signing", "encryption", "auth"];

/// Words that show the name holds something about a secret, not the secret: its type, its
/// pattern, the name of a field or variable, a prompt, a pagination cursor.
const NOT_A_SECRET: &[&str] = &[
    "type",
    "types",
    "kind",
    "re",
    "regex",
    "pattern",
    "name",
    "names",
    "url",
    "uri",
    "endpoint",
    "path",
    "file",
    "dir",
    "env",
    "var",
    "field",
    "fields",
    "header",
    "prefix",
    "suffix",
    "label",
    "len",
    "length",
    "count",
    "size",
    "fmt",
    "format",
    "template",
    "prompt",
    "msg",
    "message",
    "error",
    "hint",
    "param",
    "attr",
    "column",
    "col",
    "char",
    "chars",
    "alphabet",
    "sep",
    "mode",
    "method",
    "scheme",
    "style",
    "help",
    "doc",
    "description",
    "title",
    "text",
    "next",
    "prev",
    "page",
    "cursor",
    "marker",
    "arn",
    "id",
    "enabled",
    "last",
    "used",
    "detail",
    "option",
    "flag",
    "policy",
    "min",
    "max",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "class",
    "cls",
    "hash",
    "digest",
    "placeholder",
    "mask",
    "masked",
    "source",
    "location",
    "encoding",
    "algorithm",
    "algo",
    "start",
    "end",
    "value",
];

/// The secret word of a name among `secret_words` (`db_password` gives `password`;
/// `apiKey` and `private_key` give `key`), unless a word of it says it holds something about
/// a secret rather than the secret (`token_type`, `PASSWORD_RE`, `secret_name`).
pub fn secret_word(name: &str, secret_words: &[&'static str]) -> Option<&'static str> {
    let ws = words(name);
    if ws.iter().any(|w| NOT_A_SECRET.contains(&w.as_str())) {
        return None;
    }
    if let Some(w) = secret_words
        .iter()
        .copied()
        .find(|s| ws.iter().any(|w| w == s))
    {
        return Some(w);
    }
    ws.windows(2)
        .any(|p| KEY_KINDS.contains(&p[0].as_str()) && p[1] == "key")
        .then_some("key")
}

/// The last name of a target or an expression: `x`, `self.x`, `cfg["x"]` (a string key).
pub fn target_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        Expr::Subscript(s) => str_value(&s.slice),
        _ => None,
    }
}

/// The text of a plain string literal.
pub fn str_value(e: &Expr) -> Option<&str> {
    match e {
        Expr::Constant(c) => match &c.value {
            Constant::Str(s) => Some(s.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// True for a name written in capitals (`TABLE`, `cfg.DEFAULT_TABLE`): a constant.
pub fn is_constant_name(e: &Expr) -> bool {
    let Some(name) = (match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }) else {
        return false;
    };
    name.chars().any(|c| c.is_ascii_uppercase()) && !name.chars().any(|c| c.is_ascii_lowercase())
}

/// The statements of the innermost function around the node being checked, or of its
/// top-level block outside functions.
pub fn scope_body<'a>(node: Node<'a>, ctx: &Ctx<'a>) -> &'a [Stmt] {
    match super::iter_util::enclosing_function(ctx) {
        Some((_, body, _)) => body,
        None => super::conc_common::block_stmts(node, ctx),
    }
}

/// The value `name` is bound to in `body`, when it is bound exactly once there (by `=`, an
/// annotated assignment or `with ... as`).
pub fn only_binding<'a>(body: &'a [Stmt], name: &str) -> Option<&'a Expr> {
    let all = bindings(body);
    let mut mine = all.iter().filter(|b| b.name == name);
    let first = mine.next()?;
    mine.next().is_none().then_some(first.value)
}

/// Attributes of a web framework's request object that hold what the client sent.
const REQUEST_ATTRS: &[&str] = &[
    "args",
    "form",
    "json",
    "data",
    "GET",
    "POST",
    "body",
    "files",
    "values",
    "cookies",
    "headers",
    "query_params",
    "path_params",
    "content",
    "stream",
];

/// Methods whose result is bytes or text that arrived over the network.
const NETWORK_READS: &[&str] = &[
    "recv", "recvfrom", "makefile", "recvmsg", "get_data", "get_json",
];

/// True when `e` is, in the narrow sense the security rules document, data from outside:
/// `request.<attr>` of a client-sent attribute (and subscripts, `.get()` and `.read()` of
/// it), a socket `.recv()`/`.recvfrom()`/`.recvmsg()`/`.makefile()`, `self.rfile` in a
/// `socketserver` handler, `request.get_data()`, `urlopen(...)` and its `.read()`,
/// `requests`/`httpx` responses' `.content`/`.text`/`.json()`, `input()`, `sys.argv`,
/// `os.environ`/`os.getenv`. A name bound once, in the same function, to such a value counts
/// too (`depth` stops the chase).
pub fn from_outside(
    e: &Expr,
    body: &[Stmt],
    names_ok: &dyn Fn(&Expr) -> Option<String>,
    depth: u8,
) -> bool {
    match e {
        Expr::Name(n) if depth > 0 => only_binding(body, n.id.as_str())
            .is_some_and(|v| from_outside(v, body, names_ok, depth - 1)),
        Expr::Subscript(s) => from_outside(&s.value, body, names_ok, depth),
        Expr::Await(a) => from_outside(&a.value, body, names_ok, depth),
        Expr::Attribute(a) => {
            if is_request(&a.value) && REQUEST_ATTRS.contains(&a.attr.as_str()) {
                return true;
            }
            // A `socketserver.StreamRequestHandler` reads the client through `self.rfile`.
            if a.attr.as_str() == "rfile"
                && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self")
            {
                return true;
            }
            if matches!(a.attr.as_str(), "content" | "text" | "body")
                && is_response(&a.value, body, names_ok, depth)
            {
                return true;
            }
            matches!(
                names_ok(e).as_deref(),
                Some("sys.argv" | "os.environ" | "os.environb")
            )
        }
        Expr::Call(c) => {
            let q = names_ok(&c.func);
            if matches!(
                q.as_deref(),
                Some("input" | "os.getenv" | "os.getenvb" | "urllib.request.urlopen")
            ) {
                return true;
            }
            let Expr::Attribute(m) = &*c.func else {
                return false;
            };
            let method = m.attr.as_str();
            if NETWORK_READS.contains(&method) && !matches!(method, "get_data" | "get_json") {
                return true;
            }
            if matches!(method, "get_data" | "get_json") && is_request(&m.value) {
                return true;
            }
            if matches!(method, "read" | "get" | "getlist" | "json" | "decode") {
                return from_outside(&m.value, body, names_ok, depth)
                    || (method == "json" && is_response(&m.value, body, names_ok, depth));
            }
            false
        }
        _ => false,
    }
}

/// `request`, `self.request`, `req`: a web framework's request object by its usual names.
fn is_request(e: &Expr) -> bool {
    matches!(
        super::security_util::target_name(e),
        Some("request" | "req")
    )
}

/// A response of an HTTP client call: `requests.get(...)`, `httpx.post(...)`, `urlopen(...)`,
/// or a name bound once to one.
fn is_response(
    e: &Expr,
    body: &[Stmt],
    names_ok: &dyn Fn(&Expr) -> Option<String>,
    depth: u8,
) -> bool {
    match e {
        Expr::Name(n) if depth > 0 => only_binding(body, n.id.as_str())
            .is_some_and(|v| is_response(v, body, names_ok, depth - 1)),
        Expr::Await(a) => is_response(&a.value, body, names_ok, depth),
        Expr::Call(c) => names_ok(&c.func).is_some_and(|q| {
            let (module, method) = q.rsplit_once('.').unwrap_or(("", &q));
            (matches!(module, "requests" | "httpx")
                && matches!(
                    method,
                    "get" | "post" | "put" | "patch" | "delete" | "request"
                ))
                || q == "urllib.request.urlopen"
        }),
        _ => false,
    }
}

/// The names that say what the node being checked is for: the targets of the statement it is
/// in (`cache_key = ...`), and the name of the function around it.
pub fn use_names<'a>(ctx: &Ctx<'a>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for p in ctx.parents.iter().rev() {
        match p {
            Node::Stmt(Stmt::Assign(a)) => {
                out.extend(a.targets.iter().filter_map(target_name));
                break;
            }
            Node::Stmt(Stmt::AnnAssign(a)) => {
                out.extend(target_name(&a.target));
                break;
            }
            Node::Stmt(Stmt::AugAssign(a)) => {
                out.extend(target_name(&a.target));
                break;
            }
            Node::Stmt(_) => break,
            _ => {}
        }
    }
    match super::iter_util::enclosing_function(ctx) {
        Some((Stmt::FunctionDef(d), _, _)) => out.push(d.name.as_str()),
        Some((Stmt::AsyncFunctionDef(d), _, _)) => out.push(d.name.as_str()),
        _ => {}
    }
    out
}

/// A cheap test before resolving a callee: its last name is one of `lasts`, or it is a bare
/// name the module imports as something whose last name is one of them (`loads as unpickle`).
pub fn callee_may_be(func: &Expr, ctx: &Ctx<'_>, lasts: &[&str]) -> bool {
    match func {
        Expr::Attribute(a) => lasts.contains(&a.attr.as_str()),
        Expr::Name(n) => {
            let id = n.id.as_str();
            lasts.contains(&id)
                || ctx
                    .module
                    .imports
                    .imported(id)
                    .and_then(|q| q.rsplit('.').next())
                    .is_some_and(|last| lasts.contains(&last))
        }
        _ => false,
    }
}

/// Words that name a secret value on their own (`db_password`, `client_secret`, `apiKey` needs
/// `KEY_KINDS`).
pub const SECRET_NAME_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credentials",
];

/// The edit that adds `text` (`filter="data"`) as a call's last argument, after a trailing
/// comma if there is one; None when the call's closing bracket cannot be found.
pub fn append_argument(
    call: &crate::syntax::ast::ExprCall,
    e: &Expr,
    source: &str,
    text: &str,
) -> Option<super::Edit> {
    let last_end = call
        .args
        .iter()
        .map(|a| crate::syntax::span(a).1)
        .chain(call.keywords.iter().map(|k| crate::syntax::span(k).1))
        .max();
    match last_end {
        Some(at) => Some(super::Edit {
            start: at,
            end: at,
            text: format!(", {text}"),
        }),
        None => {
            let close = crate::syntax::span(e).1.checked_sub(1)?;
            (source.get(close..close + 1) == Some(")")).then(|| super::Edit {
                start: close,
                end: close,
                text: text.to_string(),
            })
        }
    }
}

/// For a call of md5 or sha1 through `hashlib` (see `weak_hash`): the algorithm's name.
pub fn weak_hash_call(node: Node<'_>, ctx: &Ctx<'_>) -> Option<&'static str> {
    let Node::Expr(Expr::Call(call)) = node else {
        return None;
    };
    if !callee_may_be(&call.func, ctx, &["md5", "sha1", "new"]) {
        return None;
    }
    let names = super::typing_names::BlockNames::of_block(node, ctx);
    let q = super::conc_common::qualified(&names, ctx.module, &call.func)?;
    weak_hash(call, &q)
}

/// The hash a call makes when it is `hashlib.md5(...)`, `hashlib.sha1(...)` or
/// `hashlib.new("md5" | "sha1", ...)` (by qualified name), and `usedforsecurity=False` is not
/// passed.
fn weak_hash(call: &crate::syntax::ast::ExprCall, q: &str) -> Option<&'static str> {
    let name = match q {
        "hashlib.md5" | "_hashlib.openssl_md5" => "md5",
        "hashlib.sha1" | "_hashlib.openssl_sha1" => "sha1",
        "hashlib.new" => match call
            .args
            .first()
            .and_then(str_value)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("md5") => "md5",
            Some("sha1") => "sha1",
            _ => return None,
        },
        _ => return None,
    };
    let off = call.keywords.iter().any(|k| {
        k.arg.as_deref() == Some("usedforsecurity")
            && matches!(&k.value, Expr::Constant(c) if matches!(c.value, Constant::Bool(false)))
    });
    (!off).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn splits_names_into_words() {
        assert_eq!(words("apiKey"), ["api", "key"]);
        assert_eq!(words("API_KEY"), ["api", "key"]);
        assert_eq!(words("HTTPToken"), ["http", "token"]);
        assert_eq!(words("db_password2"), ["db", "password2"]);
        assert_eq!(words("_secret"), ["secret"]);
    }
}
