//! PM1911: the `random` module used to make a token, password, key, salt or nonce (§19.8.2).
//! Its generator is predictable; `secrets` draws from the operating system's CSPRNG.

use super::conc_common::qualified;
use super::iter_util::{enclosing_function, module_usable};
use super::security_util::{callee_may_be, secret_word, target_name};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, ExprCall, Stmt};
use crate::syntax::span;

pub struct RandomForSecrets;

const CODE: &str = "PM1911";

const FUNCTIONS: &[&str] = &[
    "random",
    "randint",
    "choice",
    "choices",
    "randrange",
    "getrandbits",
    "sample",
    "shuffle",
    "randbytes",
    "uniform",
];

/// Words that name something an attacker must not guess.
const SECRET_WORDS: &[&str] = &[
    "token",
    "password",
    "passwd",
    "passphrase",
    "secret",
    "salt",
    "nonce",
    "otp",
    "csrf",
    "apikey",
];

impl Rule for RandomForSecrets {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        if !callee_may_be(&call.func, ctx, FUNCTIONS) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(q) = qualified(&names, ctx.module, &call.func) else {
            return;
        };
        let Some(func) = q.strip_prefix("random.") else {
            return;
        };
        if !FUNCTIONS.contains(&func) {
            return;
        }
        let Some(what) = secret_use(ctx) else { return };
        let alt = replacement(func, call, ctx.source);
        let fix = alt.as_ref().and_then(|text| {
            let usable = module_usable(&names, "secrets")
                || ctx.module.imports.imported("secrets") == Some("secrets");
            let free = !names.binds("secrets") && ctx.module.imports.imported("secrets").is_none();
            if !usable && !free {
                return None;
            }
            let mut fix = ctx.fix(
                CODE,
                &[],
                Safety::Unsafe,
                vec![Edit {
                    start: span(e).0,
                    end: span(e).1,
                    text: text.clone(),
                }],
            );
            if !usable {
                fix.file_edits.push(ctx.import_edit("import secrets"));
            }
            Some(fix)
        });
        let call_name = format!("random.{func}()");
        ctx.report(CODE, span(e), &[("call", &call_name), ("what", &what)], fix);
    }
}

/// What secret the call helps make: the name it is assigned to, or the function it is in.
fn secret_use(ctx: &Ctx<'_>) -> Option<String> {
    for p in ctx.parents.iter().rev() {
        match p {
            Node::Stmt(Stmt::Assign(a)) => {
                if let Some(n) = a
                    .targets
                    .iter()
                    .filter_map(target_name)
                    .find(|n| secret_word(n, SECRET_WORDS).is_some())
                {
                    return Some(format!("`{n}`"));
                }
                break;
            }
            Node::Stmt(Stmt::AnnAssign(a)) => {
                if let Some(n) =
                    target_name(&a.target).filter(|n| secret_word(n, SECRET_WORDS).is_some())
                {
                    return Some(format!("`{n}`"));
                }
                break;
            }
            Node::Stmt(_) => break,
            _ => {}
        }
    }
    let (f, _, _) = enclosing_function(ctx)?;
    let name = match f {
        Stmt::FunctionDef(d) => d.name.as_str(),
        Stmt::AsyncFunctionDef(d) => d.name.as_str(),
        _ => return None,
    };
    secret_word(name, SECRET_WORDS).map(|_| format!("the result of `{name}()`"))
}

/// The `secrets` call that does exactly what this `random` call does, when there is one.
fn replacement(func: &str, call: &ExprCall, source: &str) -> Option<String> {
    if !call.keywords.is_empty() || call.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
        return None;
    }
    let text = |e: &Expr| source.get(span(e).0..span(e).1);
    match (func, &call.args[..]) {
        ("choice", [x]) => Some(format!("secrets.choice({})", text(x)?)),
        ("getrandbits", [n]) => Some(format!("secrets.randbits({})", text(n)?)),
        ("randbytes", [n]) => Some(format!("secrets.token_bytes({})", text(n)?)),
        ("randrange", [n]) => Some(format!("secrets.randbelow({})", text(n)?)),
        ("randint", [lo, hi]) if is_zero(lo) => {
            let hi_text = text(hi)?;
            let bound = match hi {
                Expr::Constant(c) => match &c.value {
                    Constant::Int(i) => format!("{}", i + 1u8),
                    _ => return None,
                },
                Expr::Name(_) | Expr::Attribute(_) | Expr::Call(_) | Expr::Subscript(_) => {
                    format!("{hi_text} + 1")
                }
                _ => format!("({hi_text}) + 1"),
            };
            Some(format!("secrets.randbelow({bound})"))
        }
        _ => None,
    }
}

fn is_zero(e: &Expr) -> bool {
    matches!(e, Expr::Constant(c) if matches!(&c.value, Constant::Int(i) if i.to_string() == "0"))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_random_in_secret_making_code() {
        let src = "import random\nfrom random import choices\n\ndef make_reset_token():\n    return ''.join(choices(ALPHABET, k=32))\n\nsalt = random.getrandbits(64)\nuser.password = ''.join(random.choice(chars) for _ in range(12))\n";
        let found = findings(src, "PM1911", T);
        assert_eq!(
            flagged(src, &found),
            [
                "choices(ALPHABET, k=32)",
                "random.getrandbits(64)",
                "random.choice(chars)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`random.choices()` makes the result of `make_reset_token()` with a predictable generator: its state can be rebuilt from its outputs. Use the `secrets` module"
        );
        assert_eq!(
            found[1].message.split(" with ").next(),
            Some("`random.getrandbits()` makes `salt`")
        );
        assert_eq!(found[0].section, "19.8.2");
        assert!(found[0].fix.is_none(), "no exact equivalent of choices");
    }

    #[test]
    fn silent_on_other_randomness() {
        for src in [
            "import random\ndelay = random.uniform(0, 1)\n",
            "import random\ndef shuffle_deck(deck):\n    random.shuffle(deck)\n",
            "import secrets\ntoken = secrets.token_hex(16)\n",
            "import random\nrng = random.Random(1)\ntoken = rng.choice(xs)\n",
            "import random\ndef token_type():\n    return random.choice(KINDS)\n",
            "import random\ndef make_token(random):\n    return random.choice(xs)\n",
            "import numpy.random as random\nsalt = random.choice(xs)\n",
            "import random\ntokens = random.sample(words, 3)\n",
        ] {
            assert!(findings(src, "PM1911", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_uses_the_exact_secrets_equivalent() {
        assert_eq!(
            fixed(
                "\"\"\"Doc.\"\"\"\nimport random\n\nnonce = random.getrandbits(96)\n",
                "PM1911",
                T
            ),
            "\"\"\"Doc.\"\"\"\nimport secrets\nimport random\n\nnonce = secrets.randbits(96)\n"
        );
        assert_eq!(
            fixed("import random, secrets\r\ndef new_otp():\r\n    return random.randint(0, 999999)\r\n", "PM1911", T),
            "import random, secrets\r\ndef new_otp():\r\n    return secrets.randbelow(1000000)\r\n"
        );
        assert_eq!(
            fixed(
                "import random\nimport secrets\nsecret_pin = random.randint(0, n - 1)\n",
                "PM1911",
                T
            ),
            "import random\nimport secrets\nsecret_pin = secrets.randbelow((n - 1) + 1)\n"
        );
        assert_eq!(
            fixed(
                "import random\nimport secrets\nsession_token = random.randrange(limit)",
                "PM1911",
                T
            ),
            "import random\nimport secrets\nsession_token = secrets.randbelow(limit)"
        );
        let src = "import random\ndef f():\n    secrets = {}\n    api_key = random.choice(xs)\n";
        assert!(
            findings(src, "PM1911", T)[0].fix.is_none(),
            "`secrets` is taken"
        );
    }
}
