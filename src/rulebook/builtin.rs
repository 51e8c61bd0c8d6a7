//! Rulebooks compiled into the binary from `rules/`.

/// A built-in rulebook.
#[derive(Debug)]
pub struct Builtin {
    /// Name used with `-r builtin:NAME`.
    pub name: &'static str,
    /// The TOML text.
    pub source: &'static str,
}

/// Every built-in rulebook, loaded when no `-r` is given.
pub static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "zh-telephone",
        source: include_str!("../../rules/zh-telephone.toml"),
    },
    Builtin {
        name: "en-telephone",
        source: include_str!("../../rules/en-telephone.toml"),
    },
    Builtin {
        name: "zh-chat",
        source: include_str!("../../rules/zh-chat.toml"),
    },
    Builtin {
        name: "en-chat",
        source: include_str!("../../rules/en-chat.toml"),
    },
];

/// A built-in rulebook by name.
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}
