--- :checkhealth copydesk
local M = {}

function M.check()
  local health = vim.health
  health.start('copydesk')
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. tostring(vim.version()))
  else
    health.error('Neovim 0.11 or newer is needed (vim.lsp.config); see the README for nvim-lspconfig')
  end
  local copydesk = require('copydesk')
  local cmd = copydesk.options.cmd
  if not cmd then
    health.warn('require("copydesk").setup() has not been called')
    return
  end
  if vim.fn.executable(cmd[1]) == 1 then
    local version = vim.fn.system({ cmd[1], '--version' })
    health.ok(('%s: %s'):format(vim.fn.exepath(cmd[1]), vim.trim(version)))
  else
    health.error(copydesk.not_found_message(cmd[1]))
  end
  local clients = vim.lsp.get_clients({ name = copydesk.name })
  if #clients == 0 then
    health.info('no server running (it starts with the first Markdown buffer)')
  end
  for _, client in ipairs(clients) do
    health.ok(
      ('server %d running for %d buffer(s), root %s, %s positions'):format(
        client.id,
        vim.tbl_count(client.attached_buffers),
        client.root_dir or '(none: single file)',
        client.offset_encoding
      )
    )
  end
end

return M
