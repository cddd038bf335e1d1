//! PM1901: `yaml.load` without a safe loader (§19.3). The full loaders build arbitrary Python
//! objects from tags in the document, which lets a crafted file run code.

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct YamlLoad;

const CODE: &str = "PM1901";

/// Loaders that only build plain data (dicts, lists, strings, numbers).
const SAFE_LOADERS: &[&str] = &["SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"];

impl Rule for YamlLoad {
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
        let Some(name) = ctx.module.imports.resolve(&call.func) else {
            return;
        };
        let all = match name.as_str() {
            "yaml.load" => false,
            "yaml.load_all" => true,
            _ => return,
        };
        let loader = call
            .keywords
            .iter()
            .find(|k| k.arg.as_deref() == Some("Loader"))
            .map(|k| &k.value)
            .or(call.args.get(1));
        let loader_name = loader.and_then(|l| match l {
            Expr::Name(n) => Some(n.id.to_string()),
            Expr::Attribute(a) => Some(a.attr.to_string()),
            _ => None,
        });
        if let Some(l) = &loader_name {
            if SAFE_LOADERS.contains(&l.as_str()) {
                return;
            }
        }
        // A loader we cannot name (a variable) may well be safe: say nothing.
        if loader.is_some() && loader_name.is_none() {
            return;
        }
        let safe = if all { "safe_load_all" } else { "safe_load" };
        let fix = match (&call.args[..], &*call.func) {
            ([doc], Expr::Attribute(a)) if !matches!(doc, Expr::Starred(_)) => {
                let (ds, dt) = span(doc);
                let doc_text = ctx.source.get(ds..dt).unwrap_or("");
                let module = ctx
                    .source
                    .get(span(&*a.value).0..span(&*a.value).1)
                    .unwrap_or("yaml");
                let safety = if loader.is_some() {
                    Safety::Unsafe
                } else {
                    Safety::Safe
                };
                (!doc_text.is_empty()).then(|| {
                    ctx.fix(
                        CODE,
                        &[("safe", safe)],
                        safety,
                        vec![Edit {
                            start: span(e).0,
                            end: span(e).1,
                            text: format!("{module}.{safe}({doc_text})"),
                        }],
                    )
                })
            }
            _ => None,
        };
        let loader_text = loader_name.unwrap_or_else(|| "no Loader".into());
        ctx.report(
            CODE,
            span(e),
            &[("call", &name), ("loader", &loader_text), ("safe", safe)],
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_unsafe_loaders() {
        let src = "import yaml\n\ncfg = yaml.load(text)\nall_docs = yaml.load_all(stream, Loader=yaml.FullLoader)\nobj = yaml.load(text, yaml.UnsafeLoader)\n";
        let found = findings(src, "PM1901", T);
        assert_eq!(
            flagged(src, &found),
            [
                "yaml.load(text)",
                "yaml.load_all(stream, Loader=yaml.FullLoader)",
                "yaml.load(text, yaml.UnsafeLoader)"
            ]
        );
        assert_eq!(
            found[1].message,
            "`yaml.load_all` with FullLoader can build arbitrary Python objects from the document: use `yaml.safe_load_all` for data from outside"
        );
        assert_eq!(found[0].section, "19.3");
    }

    #[test]
    fn silent_on_safe_loaders_and_other_loads() {
        for src in [
            "import yaml\nyaml.load(text, Loader=yaml.SafeLoader)\n",
            "import yaml\nyaml.load(text, Loader=yaml.CSafeLoader)\n",
            "import yaml\nyaml.safe_load(text)\n",
            "import yaml\nyaml.load(text, Loader=loader_for(kind))\n",
            "import json\njson.load(fp)\n",
            "pickle.load(fp)\n",
        ] {
            assert!(findings(src, "PM1901", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_uses_safe_load() {
        assert_eq!(
            fixed(
                "import yaml\ncfg = yaml.load(open(p).read())\n",
                "PM1901",
                T
            ),
            "import yaml\ncfg = yaml.safe_load(open(p).read())\n"
        );
        assert_eq!(
            fixed(
                "import yaml as y\ncfg = y.load(s, Loader=y.Loader)\n",
                "PM1901",
                T
            ),
            "import yaml as y\ncfg = y.safe_load(s)\n"
        );
    }
}
