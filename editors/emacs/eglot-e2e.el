;;; eglot-e2e.el --- headless check of the README's eglot setup against `copydesk server' -*- lexical-binding: t -*-
;; Usage: COPYDESK_BIN=... COPYDESK_EXPECTED=... emacs --batch -Q -l eglot-e2e.el DRAFT
;; Exit status 0 when every step passes, 1 with "FAIL: ..." otherwise.
;; Tested with Debian 12's Emacs 28.2, elpa-eglot 1.9 and elpa-markdown-mode 2.5.

;; -Q skips Debian's site-start: put the apt-installed ELPA packages on the load path.
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (add-to-list 'load-path dir))
(require 'eglot)
(require 'markdown-mode)
(require 'seq)

(defvar e2e-start (float-time))
(defun e2e-log (fmt &rest args)
  (princ (format "[emacs %5.2fs] %s\n" (- (float-time) e2e-start) (apply #'format fmt args))))
(defun e2e-wait (what secs pred)
  (let ((deadline (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or (funcall pred) (error "Timed out after %ss waiting for %s" secs what))))
(defun e2e-codes ()
  ;; eglot sends changes, and Flymake re-runs its backends, from idle timers; batch Emacs is
  ;; never idle, so do both here.
  (eglot--signal-textDocument/didChange)
  (flymake-start)
  (sort (mapcar (lambda (d) (format "%s" (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)))
                (flymake-diagnostics))
        #'string<))

;; The README's setup, with the binary under test.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               `((markdown-mode gfm-mode) . (,(getenv "COPYDESK_BIN") "server"))))
(setq-default eglot-workspace-configuration
              '(:copydesk (:rules (:article-mismatch "error"))))
(defun copydesk-fix-all ()
  (interactive)
  (eglot-code-actions (point-min) (point-max) "source.fixAll.copydesk" t))

(condition-case err
    (let* ((file (expand-file-name (car command-line-args-left)))
           ;; eglot needs a project; a transient one at the draft's folder.
           (project-find-functions (list (lambda (dir) (cons 'transient dir)))))
      (setq command-line-args-left nil)
      (find-file file)
      (unless (derived-mode-p 'markdown-mode) (error "Not in markdown-mode: %s" major-mode))
      ;; `eglot-ensure' connects from `post-command-hook', which never runs in --batch.
      (apply #'eglot (eglot--guess-contact))
      (e2e-wait "the server" 15 (lambda () (eglot-current-server)))
      (e2e-log "connected: %s" (eglot--server-info (eglot-current-server)))
      (flymake-mode 1)
      (flymake-start)

      ;; 1. Diagnostics (pushed: eglot 1.9 does not pull), with the setting applied.
      (e2e-wait "four diagnostics" 15
                (lambda () (equal (e2e-codes) '("article-mismatch" "placeholder-text" "repeated-word" "stray-punctuation"))))
      (let ((article (seq-find (lambda (d) (string-match-p "a important" (flymake-diagnostic-text d))) (flymake-diagnostics))))
        (unless (eq (flymake-diagnostic-type article) 'eglot-error)
          (error "The workspace configuration was not applied: %S" (flymake-diagnostic-type article))))
      (e2e-log "diagnostics: %s" (e2e-codes))

      ;; 2. The preferred quick fix for the repeated word.
      (let* ((diag (seq-find (lambda (d) (string-match-p "repeated" (flymake-diagnostic-text d))) (flymake-diagnostics)))
             (actions (eglot-code-actions (flymake-diagnostic-beg diag) (flymake-diagnostic-end diag) "quickfix"))
             (preferred (seq-find (lambda (a) (plist-get a :isPreferred)) actions)))
        (unless preferred (error "No preferred quick fix among %S" (mapcar (lambda (a) (plist-get a :title)) actions)))
        (eglot--read-execute-code-action (list preferred) (eglot-current-server) "quickfix")
        (e2e-log "quick fix: %s" (plist-get preferred :title)))
      (e2e-wait "the quick fix" 10 (lambda () (not (string-match-p "the the" (buffer-string)))))
      (e2e-wait "three diagnostics" 10
                (lambda () (equal (e2e-codes) '("article-mismatch" "placeholder-text" "stray-punctuation"))))

      ;; 3. Hover on a person.
      (goto-char (point-min))
      (search-forward "branch,\" Reyes")
      (backward-word)
      (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                     (eglot--TextDocumentPositionParams)))
             (value (plist-get (plist-get hover :contents) :value)))
        (unless (and value (string-match-p "Ana Reyes" value)) (error "Hover: %S" hover))
        (e2e-log "hover: %s" (car (split-string value "\n"))))

      ;; 4. Fix all with the README's command (the source.fixAll.copydesk action).
      (copydesk-fix-all)
      (e2e-wait "one diagnostic after fix-all" 10 (lambda () (equal (e2e-codes) '("placeholder-text"))))
      (e2e-log "fix all applied")

      ;; 5. Save and check the file on disk.
      (save-buffer)
      (let ((expected (with-temp-buffer (insert-file-contents (getenv "COPYDESK_EXPECTED")) (buffer-string)))
            (written (with-temp-buffer (insert-file-contents file) (buffer-string))))
        (unless (equal expected written) (error "File on disk:\n%s" written)))
      (e2e-log "written and checked on disk")
      (eglot-shutdown (eglot-current-server))
      (e2e-log "PASS")
      (kill-emacs 0))
  (error
   (princ (format "FAIL: %s\n" (error-message-string err)) #'external-debugging-output)
   (kill-emacs 1)))
