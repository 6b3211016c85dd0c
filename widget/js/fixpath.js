// Fixpath loader: defines <fixpath-widget>. Tiny on purpose: it only builds the shadow root,
// loads the wasm widget when it is opened (launcher mode) or when the page is idle (inline
// mode), hands it the kb URL, and forwards the page API (open, close, prefill, identify,
// reportError). No search, ranking or validation happens here. The widget dispatches
// fixpath:search, fixpath:step, fixpath:resolved, fixpath:escalate and fixpath:ticket on
// the element.
//
// Every other file is found relative to this script, so the help folder `fixpath build`
// writes works under any path: the widget's files beside it, the kb bundle in `kb/`.
const base = new URL('.', import.meta.url);
// The widget's files, content-hashed: `fixpath build` rewrites this line to name them.
const FILES = { glue: 'fixpath_widget.js', wasm: 'fixpath_widget_bg.wasm', css: 'fixpath.css' };

class FixpathWidget extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = new URL(FILES.css, base).href;
    this.panel = document.createElement('div');
    this.panel.className = 'fp-root';
    root.append(style);
    if (this.getAttribute('mode') === 'launcher') {
      this.launcher = document.createElement('button');
      this.launcher.type = 'button';
      this.launcher.className = 'fp-launcher';
      this.launcher.dataset.testid = 'launcher';
      this.launcher.textContent = this.getAttribute('label') || 'Help';
      this.launcher.setAttribute('aria-expanded', 'false');
      this.launcher.addEventListener('click', () => (this.panel.hidden ? this.open() : this.close()));
      this.panel.hidden = true;
      this.panel.setAttribute('role', 'dialog');
      this.panel.setAttribute('aria-label', this.launcher.textContent);
      this.panel.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') this.close();
      });
      root.append(this.launcher);
    } else {
      const idle = window.requestIdleCallback || ((f) => setTimeout(f, 1));
      idle(() => this.open());
    }
    root.append(this.panel);
  }

  // Shows the panel, loading the widget the first time.
  async open() {
    this.panel.hidden = false;
    this.launcher?.setAttribute('aria-expanded', 'true');
    const widget = await this.ready();
    // Opened by the customer (launcher): focus goes into the panel. Inline widgets never
    // steal focus from the page.
    if (this.launcher) widget.focus();
  }

  close() {
    if (!this.launcher) return;
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.focus();
  }

  // The mounted widget, loading it (without showing it) if needed.
  ready() {
    this.loading ??= this.load();
    return this.loading;
  }

  // Page API. Fields use the ticket's JSON names (trying_to_do, what_happened,
  // error_message, steps_to_reproduce, name, email); unknown keys are ignored.
  async prefill(fields) {
    (await this.ready()).prefill(JSON.stringify(fields ?? {}));
  }

  async identify(person) {
    (await this.ready()).identify(JSON.stringify(person ?? {}));
  }

  // Opens the widget on the best guide for an error the page just hit ({code, message}).
  async reportError(error) {
    await this.open();
    this.widget.reportError(JSON.stringify(error ?? {}));
  }

  async load() {
    const widget = await import(new URL(FILES.glue, base).href);
    await widget.default({ module_or_path: new URL(FILES.wasm, base) });
    // `kb` is relative to the page, like any attribute URL; by default the bundle beside
    // this script.
    const kbAttribute = this.getAttribute('kb');
    const kb = kbAttribute ? new URL(kbAttribute, document.baseURI).href : new URL('kb/', base).href;
    // Test and demo hook: pin the clock (office hours) with clock="…" or ?fixpath-clock=….
    const clock = this.getAttribute('clock') || new URLSearchParams(location.search).get('fixpath-clock');
    this.widget = widget.mount(this.panel, kb, clock || undefined);
    this.setAttribute('data-ready', '');
    return this.widget;
  }
}

customElements.define('fixpath-widget', FixpathWidget);
