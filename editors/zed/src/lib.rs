//! Runs `copydesk server` for Markdown in Zed: the binary from `lsp.copydesk.binary` in
//! Zed's settings, else `copydesk` on the worktree's PATH; `lsp.copydesk.settings` become the
//! server's settings (initialization options, and the `copydesk` section of
//! `workspace/configuration`).

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

const SERVER: &str = "copydesk";

struct Copydesk;

fn user_settings(worktree: &zed::Worktree) -> Option<serde_json::Value> {
    LspSettings::for_worktree(SERVER, worktree)
        .ok()
        .and_then(|settings| settings.settings)
}

impl zed::Extension for Copydesk {
    fn new() -> Self {
        Copydesk
    }

    fn language_server_command(&mut self, _id: &LanguageServerId, worktree: &zed::Worktree) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let args = binary
            .as_ref()
            .and_then(|binary| binary.arguments.clone())
            .unwrap_or_else(|| vec!["server".to_string()]);
        let command = binary
            .and_then(|binary| binary.path)
            .or_else(|| worktree.which(SERVER))
            .ok_or_else(|| {
                "copydesk was not found on PATH. Install it (`cargo install --path .` in a copydesk checkout) \
                 or set lsp.copydesk.binary.path in Zed's settings."
                    .to_string()
            })?;
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(user_settings(worktree))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(user_settings(worktree).map(|settings| serde_json::json!({ SERVER: settings })))
    }
}

zed::register_extension!(Copydesk);
