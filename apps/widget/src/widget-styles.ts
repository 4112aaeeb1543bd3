/**
 * The widget's CSS, inside its shadow root. `:host` rules are !important because, for important
 * declarations, the shadow tree wins over the host page (CSS Cascade 4): a page's
 * `* { display: none !important }` cannot hide or restyle the widget's host element.
 */
export const WIDGET_CSS = `
:host {
  all: initial !important;
  display: block !important;
  position: fixed !important;
  right: 16px !important;
  bottom: 16px !important;
  z-index: 2147483000 !important;
  visibility: visible !important;
  opacity: 1 !important;
  transform: none !important;
  width: auto !important;
  height: auto !important;
  margin: 0 !important;
  padding: 0 !important;
}
* { box-sizing: border-box; }
.root {
  font: 14px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  color: #1f2937;
  display: flex;
  flex-direction: column;
  align-items: flex-end;
  gap: 12px;
}
button { font: inherit; cursor: pointer; }
button:focus-visible, input:focus-visible, summary:focus-visible { outline: 2px solid #2563eb; outline-offset: 2px; }
.launcher {
  width: 56px; height: 56px; border-radius: 50%; border: none;
  background: #2563eb; color: #fff; box-shadow: 0 4px 14px rgba(0,0,0,.25);
  display: flex; align-items: center; justify-content: center;
}
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.panel {
  width: 370px; height: 560px; max-height: calc(100vh - 100px);
  background: #fff; border-radius: 12px; overflow: hidden;
  box-shadow: 0 8px 30px rgba(0,0,0,.2);
  display: flex; flex-direction: column;
}
.panel[hidden] { display: none; }
@media (max-width: 480px) {
  .panel { width: calc(100vw - 32px); }
}
/* A phone, or a short screen (a phone in landscape, 740x375): the open panel takes the launcher's
   room too, or a landscape phone kept ~170 px for the messages. The panel's × closes it and the
   launcher comes back. dvh: the visible height, so the header (and its ×) is never under the URL bar. */
@media (max-width: 480px), (max-height: 500px) {
  .panel { height: calc(100vh - 32px); height: calc(100dvh - 32px); max-height: none; }
  .panel:not([hidden]) ~ .launcher { display: none; }
}
/* The status under the title, not beside it: "Connection lost, reconnecting…" beside "Customer service"
   wrapped the title onto two lines (a 320-px phone, and the 370-px panel). A title too long for the
   header ends in an ellipsis rather than wrapping. */
.header {
  background: #2563eb; color: #fff; padding: 8px 12px 8px 16px;
  display: grid; grid-template-columns: minmax(0, 1fr) auto; align-items: center; column-gap: 8px;
}
.header h2 {
  grid-area: 1 / 1; font-size: 16px; font-weight: 600; line-height: 1.4; margin: 0;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.header .icon-btn { grid-area: 1 / 2 / 3 / 3; }
.status { grid-area: 2 / 1; font-size: 12px; line-height: 1.4; opacity: .9; }
.status::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: #fbbf24; margin-right: 5px; }
.status[data-state="online"]::before { background: #34d399; }
.status[data-state="offline"]::before, .status[data-state="unavailable"]::before { background: #f87171; }
.icon-btn { background: transparent; border: none; color: inherit; font-size: 20px; line-height: 1; padding: 4px 8px; border-radius: 6px; }
.icon-btn:hover { background: rgba(255,255,255,.15); }
.log { flex: 1; overflow-y: auto; padding: 12px; background: #f3f4f6; display: flex; flex-direction: column; gap: 10px; }
.msg { max-width: 85%; display: flex; flex-direction: column; gap: 4px; }
.msg .bubble { padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; word-break: break-word; }
.msg.customer { align-self: flex-end; }
.msg.customer .bubble { background: #2563eb; color: #fff; border-bottom-right-radius: 4px; }
.msg.customer.pending .bubble { opacity: .6; }
.msg .queued { display: none; font-size: 11px; color: #6b7280; text-align: right; }
.panel[data-state="offline"] .msg.pending .queued { display: block; }
.msg.bot, .msg.agent { align-self: flex-start; }
.msg.bot .bubble { background: #fff; color: #1f2937; border-bottom-left-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.msg.agent .bubble { background: #ecfdf5; color: #064e3b; border-bottom-left-radius: 4px; }
.msg.system { align-self: center; max-width: 95%; }
.msg.system .bubble { background: transparent; color: #6b7280; font-size: 12px; padding: 0; text-align: center; }
.who { font-size: 11px; color: #6b7280; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
details.source { font-size: 12px; color: #4b5563; background: #fff; border-radius: 8px; padding: 4px 8px; border: 1px solid #e5e7eb; }
details.source summary { cursor: pointer; color: #2563eb; }
details.source p { margin: 4px 0 0; white-space: pre-wrap; word-break: break-word; }
details.source mark { background: #fef08a; color: inherit; }
.replies { display: flex; flex-wrap: wrap; gap: 6px; }
.reply { background: #fff; color: #2563eb; border: 1px solid #2563eb; border-radius: 16px; padding: 4px 12px; font-size: 13px; }
.reply:hover:not(:disabled) { background: #eff6ff; }
.reply:disabled { color: #9ca3af; border-color: #e5e7eb; background: #f9fafb; cursor: default; }
.votes { display: flex; gap: 4px; align-items: center; font-size: 12px; color: #6b7280; }
.vote { background: transparent; border: 1px solid transparent; border-radius: 6px; padding: 3px 6px; color: #9ca3af; display: inline-flex; }
.vote svg { width: 16px; height: 16px; fill: currentColor; }
.vote:hover:not(:disabled) { color: #4b5563; background: #fff; }
.vote:disabled { opacity: 0.5; cursor: default; }
.vote[aria-pressed="true"] { color: #2563eb; background: #eff6ff; border-color: #bfdbfe; }
.typing { align-self: flex-start; color: #6b7280; font-size: 12px; font-style: italic; }
.typing[hidden] { display: none; }
.handoff {
  display: flex; align-items: center; gap: 8px; padding: 8px 12px; font-size: 13px;
  background: #eff6ff; color: #1e3a8a; border-top: 1px solid #bfdbfe;
}
.handoff[hidden] { display: none; }
.handoff[data-handoff="leaving_message"] { background: #fffbeb; color: #78350f; border-top-color: #fde68a; }
.handoff .note { flex: 1; }
.handoff[data-handoff="waiting_for_agent"] .note::before {
  content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 6px; vertical-align: -1px;
  border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%;
  animation: wendao-spin 1s linear infinite;
}
@keyframes wendao-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .handoff .note::before { animation: none; } }
.handoff .cancel {
  background: #fff; color: inherit; border: 1px solid currentColor; border-radius: 14px;
  padding: 2px 10px; font-size: 12px; white-space: nowrap; flex: none;
}
.handoff .cancel:hover { background: rgba(255,255,255,.6); }
.composer { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #e5e7eb; background: #fff; align-items: center; }
.composer input:focus-visible { outline: none; border-color: #2563eb; box-shadow: 0 0 0 2px rgba(37,99,235,.2); }
.composer input { flex: 1; min-width: 0; border: 1px solid #d1d5db; border-radius: 18px; padding: 8px 12px; font: inherit; color: #1f2937; background: #fff; }
.send { background: #2563eb; color: #fff; border: none; border-radius: 18px; padding: 8px 14px; white-space: nowrap; }
.send:disabled { background: #93c5fd; cursor: default; }
.human {
  background: #fff; color: #374151; border: 1px solid #d1d5db; border-radius: 18px; height: 36px; padding: 0 10px 0 8px;
  font-size: 13px; white-space: nowrap; display: inline-flex; align-items: center; gap: 4px; flex: none;
}
.human.icon-only { width: 36px; padding: 0; justify-content: center; }
.human[hidden] { display: none; }
.human svg { width: 18px; height: 18px; fill: #2563eb; }
.human:hover { background: #eff6ff; border-color: #bfdbfe; }
/* A 320-px phone (iPhone SE, small Androids): with its words the button left the input 90 px, and
   the placeholder read "Ask a questic" / "请输入您的问题"; the headset alone keeps its name (aria-label,
   title) and gives the input the 44 px it needs. */
@media (max-width: 359px) {
  .human { width: 36px; padding: 0; justify-content: center; }
  .human span { display: none; }
}
`;
