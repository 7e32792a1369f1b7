-- The copydesk language server for Neovim 0.11+, in the form `vim.lsp.config` reads from
-- `lsp/*.lua` on 'runtimepath' (as nvim-lspconfig's configs are). With this folder on
-- 'runtimepath', `vim.lsp.enable('copydesk')` is enough; `require('copydesk').setup()` adds
-- the commands, inlay hints and code lens on top.
return {
  cmd = { 'copydesk', 'server' },
  filetypes = { 'markdown' },
  root_markers = { 'copydesk.toml', '.git' },
}
