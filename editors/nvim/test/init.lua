-- The user configuration the end-to-end test starts Neovim with: the plugin loaded from
-- this checkout, set up as README.md shows. COPYDESK_BIN names the binary under test.
local plugin = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h')
vim.opt.runtimepath:prepend(plugin)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

require('copydesk').setup({
  path = os.getenv('COPYDESK_BIN'),
  settings = {
    -- Client settings reach the server: this rule is a warning by default.
    rules = { ['article-mismatch'] = 'error' },
  },
})
