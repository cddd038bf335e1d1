//! The rule engine: one walk over a block's tree, each node handed to the rules that asked for
//! its kind. Rules live one per file, grouped by book chapter; `registry.rs` lists them.
//!
//! A rule sees one block (a top-level statement) with offsets relative to the block's start;
//! the analysis shifts its findings into place. Rules never see LSP types.

mod ctx;
mod finding;
mod kind;
pub mod noqa;
mod registry;
pub mod selection;
pub mod source;
#[cfg(test)]
mod testing;

mod ch01_abstract_over_property;
mod ch01_contextmanager_finally;
mod ch01_copy_environ;
mod ch01_deepcopy_memo;
mod ch01_del_cleanup;
mod ch01_descriptor_get_none;
mod ch01_dunder_call;
mod ch01_eq_singleton;
mod ch01_eq_without_hash;
mod ch01_exit_signature;
mod ch01_exit_swallows;
mod ch01_finally_jump;
mod ch01_foreign_operand;
mod ch01_format_ignores_spec;
mod ch01_getattr_constant;
mod ch01_getattr_recursion;
mod ch01_getattribute_self;
mod ch01_global_rebind;
mod ch01_hasattr_call;
mod ch01_immutable_subclass_slots;
mod ch01_init_return;
mod ch01_init_subclass_super;
mod ch01_is_literal;
mod ch01_lambda_assignment;
mod ch01_late_binding_closure;
mod ch01_mro_conflict;
mod ch01_mutable_class_attr;
mod ch01_mutable_default;
mod ch01_nan_compare;
mod ch01_new_returns_none;
mod ch01_nonlocal_misuse;
mod ch01_property_no_return;
mod ch01_property_params;
mod ch01_protocol_return_type;
mod ch01_raise_not_implemented;
mod ch01_repeated_mutable;
mod ch01_repr_non_str;
mod ch01_setattr_recursion;
mod ch01_slot_conflict;
mod ch01_slot_redefined;
mod ch01_slots_missing_attr;
mod ch01_slots_parent_dict;
mod ch01_slots_string;
mod ch01_staticmethod_self;
mod ch01_subclasshook_false;
mod ch01_super_args;
mod ch01_total_ordering_misuse;
mod ch01_type_eq;
mod ch01_unknown_dunder;
mod ch01_unused_self;
mod ch01_wrapper_assign;
mod ch02_abc_only_abstract;
mod ch02_bare_type_ignore;
mod ch02_builtin_generics;
mod ch02_dataclass_mutable_default;
mod ch02_erased_decorator;
mod ch02_final_reassigned;
mod ch02_functional_syntax;
mod ch02_future_annotations;
mod ch02_implicit_optional;
mod ch02_init_only_class;
mod ch02_isinstance_predicate;
mod ch02_iter_returns_iterable;
mod ch02_mutable_class_attr;
mod ch02_overload_misuse;
mod ch02_quoted_annotation;
mod ch02_typevar_name;
mod ch02_union_syntax;
mod ch03_any_all_listcomp;
mod ch03_lru_cache_none;
mod ch03_mutate_while_iterating;
mod ch03_sum_concat;
mod ch04_raise_stop_iteration;
mod ch05_abc_empty_method;
mod ch05_abc_without_abstract;
mod ch05_abcmeta_keyword;
mod ch05_metaclass_new_no_super;
mod ch05_missing_wraps;
mod ch06_cache_on_method;
mod ch08_thread_positional_target;
mod ch08_with_new_lock;
mod ch09_submit_discarded;
mod ch10_blocking_call;
mod ch10_blocking_sleep;
mod ch10_cancel_swallowed;
mod ch10_sync_with_async_cm;
mod ch10_task_not_kept;
mod ch11_preexec_fn;
mod ch11_unguarded_processes;
mod ch17_bare_except;
mod ch17_debugger_left;
mod ch17_logger_warn;
mod ch19_bind_all_interfaces;
mod ch19_eval_exec;
mod ch19_hardcoded_secret;
mod ch19_hash_usedforsecurity;
mod ch19_mktemp;
mod ch19_path_traversal;
mod ch19_random_for_secrets;
mod ch19_secret_compare;
mod ch19_secret_logged;
mod ch19_shell_injection;
mod ch19_sql_formatting;
mod ch19_tar_extract_filter;
mod ch19_tls_unverified;
mod ch19_tmp_path;
mod ch19_unpickle_outside;
mod ch19_weak_hash_secret;
mod ch19_xml_untrusted;
mod ch19_yaml_load;
mod conc_common;
mod iter_util;
mod security_util;
mod typing_names;

pub use ctx::{check_block, Ctx, Scope};
pub use finding::{Edit, Finding, Fix, Safety};
pub use kind::{Kind, Node};
pub use registry::{all, by_code};

/// A rule: its code, the node kinds it looks at, and the check itself.
/// Its message, section, default and fix title live in `knowledge/rules/<CODE>.md`.
pub trait Rule: Send + Sync {
    fn code(&self) -> &'static str;
    fn kinds(&self) -> &'static [Kind];
    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>);
}

/// The target Python version, as (major, minor).
pub type Version = (u8, u8);
