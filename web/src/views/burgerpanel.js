// View "Burgerpanel": the citizens' panel (GET /api/v1/survey) — a question, a grouping and, for a share,
// an answer; the weighted estimates (GET /api/v1/survey/estimates) as bars with their 95 % confidence
// intervals next to a table with the same numbers. The panel is SYNTHETIC, and the page says so first.
// URL: ?view=burgerpanel[&lang=en]&question=Q&by=G[&answer=A]
import { getJson, ApiError } from '../api.js';
import { formatNumber } from '../format.js';
import { CiBars } from '../bars.js';
import { h, clear } from '../dom.js';

const $ = (id) => document.getElementById(id);
// The API's own texts (the weighting margins, the panel's licence) are English.
const english = (t, text) => (t.lang === 'en' ? text : h('span', { lang: 'en' }, text));
/** A translated sentence with some placeholders filled by nodes instead of text. */
function withNodes(t, key, vars, nodes) {
  const marks = Object.fromEntries(Object.keys(nodes).map((k, i) => [k, `\u0000${i}\u0000`]));
  const parts = t(key, { ...vars, ...marks }).split('\u0000');
  const list = Object.values(nodes);
  return parts.map((p, i) => (i % 2 ? list[Number(p)] : p)).filter((p) => p !== '');
}
const DEFAULT_QUESTION = 'rating';
const DEFAULT_BY = 'province';

class BurgerpanelView {
  constructor(ctx) {
    this.ctx = ctx;
    this.state = { question: null, by: null, answer: null };
    this.active = false;
    this.survey = null;
    this.surveyPromise = null;
    this.estimates = null;
    this.token = 0;
    this.built = false;
    this.bars = null;
  }

  get t() { return this.ctx.t; }

  read(q) {
    this.state.question = q.get('question') || null;
    this.state.by = q.has('by') ? q.get('by') : null;
    this.state.answer = q.get('answer') || null;
  }

  query(over = {}) {
    const s = { ...this.state, ...over };
    const q = new URLSearchParams();
    if (s.question) q.set('question', s.question);
    if (s.by != null) q.set('by', s.by);
    if (s.answer) q.set('answer', s.answer);
    return q;
  }

  question() { return this.survey && this.survey.questions.find((x) => x.id === this.state.question); }

  normalise() {
    const s = this.state;
    const qs = this.survey.questions;
    if (!qs.some((x) => x.id === s.question)) s.question = (qs.find((x) => x.id === DEFAULT_QUESTION) || qs[0]).id;
    const groupings = this.groupings();
    if (s.by == null || (s.by !== '' && !groupings.includes(s.by))) s.by = groupings.includes(DEFAULT_BY) ? DEFAULT_BY : (groupings[0] || '');
    const q = this.question();
    // a share of the whole panel shows every answer; broken down, one answer at a time
    const answers = q.estimate === 'share' && s.by ? q.answers.map((a) => a.code) : [];
    if (!answers.length) s.answer = null;
    else if (!answers.includes(s.answer)) s.answer = answers[0];
  }

  /** The groupings offered for the current question (not the question itself). */
  groupings() {
    return (this.survey.groupings || []).filter((g) => g !== this.state.question);
  }

  groupingName(g) {
    const t = this.t;
    if (g === '') return t('panelByNone');
    const key = `panelBy_${g}`;
    const s = t(key);
    if (s !== key) return s;
    const q = this.survey.questions.find((x) => x.id === g);
    return q ? t('panelByAnswer', { question: t.loc(q.label) }) : g;
  }

  groupLabel(cell) {
    const t = this.t;
    if (cell.name) return cell.name;
    const by = this.state.by;
    if (by === 'age_group') return t('panelAge', { group: String(cell.group).replace('-', '–') });
    const key = `panelGroup_${by}_${cell.group}`;
    const s = t(key);
    if (s !== key) return s;
    const q = this.survey.questions.find((x) => x.id === by);
    const a = q && q.answers.find((x) => x.code === cell.group);
    return a ? t.loc(a) : String(cell.group);
  }

  // ---------------------------------------------------------------- DOM
  build() {
    const el = $('panel-view');
    el.replaceChildren(
      h('h2', { id: 'panel-h', tabindex: '-1' }),
      h('div', { class: 'synthetic-notice', id: 'panel-notice' }),
      h('form', { id: 'panel-form', class: 'controls-form panel-form' },
        h('div', { class: 'field' }, h('label', { for: 'panel-question', id: 'panel-question-label' }), h('select', { id: 'panel-question', name: 'question' })),
        h('div', { class: 'field' }, h('label', { for: 'panel-by', id: 'panel-by-label' }), h('select', { id: 'panel-by', name: 'by' })),
        h('div', { class: 'field', id: 'panel-answer-field' }, h('label', { for: 'panel-answer', id: 'panel-answer-label' }), h('select', { id: 'panel-answer', name: 'answer' }))),
      h('div', { id: 'panel-status', class: 'status', role: 'status' }),
      h('div', { id: 'panel-body' }),
      h('div', { id: 'panel-about', class: 'panel-about' }),
    );
    const on = (id, key) => $(id).addEventListener('change', (e) => {
      if (!this.active) return;
      this.state[key] = e.target.value;
      if (key === 'question') this.state.answer = null;
      this.normalise();
      this.ctx.writeUrl('pushState');
      this.renderControls();
      this.loadEstimates();
    });
    on('panel-question', 'question');
    on('panel-by', 'by');
    on('panel-answer', 'answer');
    this.built = true;
  }

  async activate() {
    this.active = true;
    if (!this.built) this.build();
    $('panel-view').hidden = false;
    this.applyLang();
    try {
      await this.loadSurvey();
    } catch (e) {
      if (!this.active) return;
      if (e instanceof ApiError && e.status === 404) {
        // no panel on this server: no notice, no controls, just that
        $('panel-notice').hidden = true;
        $('panel-form').hidden = true;
        $('panel-body').replaceChildren(h('p', { class: 'hint' }, this.t('panelNone')));
        return;
      }
      this.ctx.showError(e, () => this.activate());
      return;
    }
    if (!this.active) return;
    $('panel-form').hidden = false;
    this.normalise();
    this.ctx.writeUrl('replaceState');
    this.applyLang();
    this.renderControls();
    await this.loadEstimates();
  }

  deactivate() {
    this.active = false;
    this.token++;
    $('panel-view').hidden = true;
  }

  refresh() {
    if (!this.survey) { this.activate(); return; }
    this.normalise();
    this.applyLang();
    this.renderControls();
    this.loadEstimates();
  }

  loadSurvey() {
    if (!this.surveyPromise) {
      this.surveyPromise = getJson('/survey').then(({ data }) => {
        if (!data || !Array.isArray(data.questions) || !data.questions.length) throw new ApiError('response', 200);
        this.survey = data;
        return data;
      }).catch((e) => { this.surveyPromise = null; throw e; });
    }
    return this.surveyPromise;
  }

  applyLang() {
    const t = this.t;
    const d = this.survey;
    $('panel-h').textContent = d ? t.loc(d.title) : t('panelHeading');
    $('panel-question-label').textContent = t('panelQuestion');
    $('panel-by-label').textContent = t('panelBy');
    $('panel-answer-label').textContent = t('panelAnswer');
    document.title = `${d ? t.loc(d.title) : t('panelHeading')} — ${t('title')}`;
    const notice = $('panel-notice');
    const synthetic = !d || d.synthetic !== false;
    notice.hidden = !synthetic || $('panel-form').hidden;
    notice.replaceChildren(
      h('p', { class: 'synthetic-title' }, h('strong', {}, t('panelSyntheticTitle'))),
      h('p', {}, t('panelSyntheticText')),
      d && d.notice ? h('p', { lang: 'en', class: 'synthetic-api' }, d.notice) : null,
    );
    if (d) {
      const w = d.weighting || {};
      const lang = t.lang;
      $('panel-about').replaceChildren(
        h('h3', {}, t('panelAboutHeading')),
        h('p', {}, ...withNodes(t, 'panelAbout', {
          n: d.respondents != null ? formatNumber(d.respondents, lang, 0) : '—',
          deff: w.design_effect != null ? formatNumber(w.design_effect, lang, 2) : '—',
          neff: w.effective_n != null ? formatNumber(w.effective_n, lang, 0) : '—',
          min: (d.disclosure && d.disclosure.min_respondents) || 10,
        }, { margins: english(t, (w.margins || []).join('; ') || '—') })),
        h('p', {}, h('a', { href: `/burgerpanel${lang === 'en' ? '?lang=en' : ''}`, id: 'panel-page-link' }, t('panelPage'))),
      );
    }
  }

  renderControls() {
    const t = this.t;
    const s = this.state;
    const qs = this.survey.questions;
    $('panel-question').replaceChildren(...qs.map((q) => h('option', { value: q.id, selected: q.id === s.question }, t.loc(q.label))));
    $('panel-question').value = s.question;
    const by = ['', ...this.groupings()];
    $('panel-by').replaceChildren(...by.map((g) => h('option', { value: g, selected: g === s.by }, this.groupingName(g))));
    $('panel-by').value = s.by;
    const q = this.question();
    const answers = q.estimate === 'share' && s.by ? q.answers : [];
    $('panel-answer-field').hidden = !answers.length;
    $('panel-answer').replaceChildren(...answers.map((a) => h('option', { value: a.code, selected: a.code === s.answer }, t.loc(a))));
    if (s.answer) $('panel-answer').value = s.answer;
  }

  async loadEstimates() {
    const t = this.t;
    const s = this.state;
    const token = ++this.token;
    const status = $('panel-status');
    status.textContent = t('panelLoading');
    $('panel-body').setAttribute('aria-busy', 'true');
    try {
      const { data, meta } = await getJson('/survey/estimates', { question: s.question, by: s.by || undefined });
      if (token !== this.token || !this.active) return;
      this.ctx.clearError();
      this.renderEstimates(data, meta);
      status.textContent = s.by ? t('panelShown', { question: t.loc(data.label), by: this.groupingName(s.by) }) : t('panelShownAll', { question: t.loc(data.label) });
    } catch (e) {
      if (token !== this.token || !this.active) return;
      status.textContent = '';
      $('panel-body').replaceChildren(h('div', { class: 'error-box' }, h('p', {}, this.ctx.errorMessage(e)),
        h('button', { type: 'button', class: 'btn', onclick: () => this.loadEstimates() }, t('retry'))));
    } finally {
      if (token === this.token) $('panel-body').removeAttribute('aria-busy');
    }
  }

  renderEstimates(data, meta) {
    const t = this.t;
    const lang = t.lang;
    const s = this.state;
    const q = this.question();
    const share = data.estimate === 'share';
    const everyAnswer = share && !s.by; // the whole panel's share of each answer
    const pick = (cells) => cells.filter((c) => !share || everyAnswer || c.answer === s.answer);
    const answerName = (code) => { const a = q.answers.find((x) => x.code === code); return a ? t.loc(a) : String(code); };
    const decimals = share ? 1 : 2;
    const fmt = (v) => (share ? `${formatNumber(v, lang, decimals)}%` : formatNumber(v, lang, decimals));
    const suppressedText = (c) => (c.suppression === 'secondary' ? t('panelSuppressedSecondary') : t('panelSuppressed'));
    const rows = [
      ...pick(data.total || []).map((c) => ({ cell: c, label: everyAnswer ? answerName(c.answer) : t('panelTotal'), total: !everyAnswer })),
      ...pick(data.cells || []).map((c) => ({ cell: c, label: this.groupLabel(c), total: false })),
    ];
    const answer = share ? q.answers.find((a) => a.code === s.answer) : null;
    const what = everyAnswer ? t('panelShareEach') : share ? t('panelShareOf', { answer: answer ? t.loc(answer) : s.answer }) : t('panelMean', { min: formatNumber(q.min ?? 1, lang, 0), max: formatNumber(q.max ?? 10, lang, 0) });
    const byText = s.by ? t('panelPer', { by: this.groupingName(s.by).toLowerCase() }) : '';
    const caption = t('panelCaption', { question: t.loc(data.label), what, by: byText });

    // ---- chart (hidden from assistive technology; the table next to it has the numbers)
    const values = rows.filter((r) => !r.cell.suppressed && r.cell.value != null);
    const hiMax = Math.max(...values.map((r) => r.cell.ci_high ?? r.cell.value), 0);
    const min = share ? 0 : (q.min ?? 0);
    const max = share ? Math.min(100, Math.max(10, Math.ceil(hiMax / 10) * 10)) : (q.max ?? Math.ceil(hiMax));
    const figure = h('figure', { class: 'panel-figure' });
    const chartBox = h('div', { class: 'panel-chart' });
    figure.append(chartBox, h('figcaption', {}, t('panelChartCaption', { what })));
    // ---- table (the chart's text alternative)
    const table = h('table', { class: 'data-table', id: 'panel-table' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, s.by ? this.groupingName(s.by) : everyAnswer ? t('panelAnswer') : t('panelGroup')),
        h('th', { scope: 'col', class: 'num' }, share ? t('panelColShare') : t('panelColMean')),
        h('th', { scope: 'col', class: 'num' }, t('panelColCi')),
        h('th', { scope: 'col', class: 'num' }, t('panelColN')),
        h('th', { scope: 'col', class: 'num' }, t('panelColNeff')))),
      h('tbody', {}, ...rows.map(({ cell: c, label, total }) => h('tr', { class: total ? 'total' : null, 'data-group': c.group, 'data-suppressed': c.suppressed ? 'true' : null },
        h('th', { scope: 'row' }, label),
        c.suppressed || c.value == null
          ? h('td', { class: 'num missing-cell' }, h('span', { class: 'missing' }, suppressedText(c)))
          : h('td', { class: 'num' }, fmt(c.value)),
        h('td', { class: 'num' }, c.suppressed || c.ci_low == null ? '—' : `${fmt(c.ci_low)} – ${fmt(c.ci_high)}`),
        h('td', { class: 'num' }, c.suppressed || c.n == null ? '—' : formatNumber(c.n, lang, 0)),
        h('td', { class: 'num' }, c.suppressed || c.effective_n == null ? '—' : formatNumber(c.effective_n, lang, 0))))));
    const notes = [];
    if (rows.some((r) => r.cell.suppressed)) notes.push(h('p', { class: 'hint' }, t('panelSuppressedNote', { min: (this.survey.disclosure && this.survey.disclosure.min_respondents) || 10 })));
    notes.push(h('p', { class: 'licence' }, ...withNodes(t, 'panelSource', { attribution: meta.attribution || '' }, { licence: english(t, meta.licence || '') })));
    const body = $('panel-body');
    if (this.bars) this.bars.destroy();
    body.replaceChildren(h('div', { class: 'panel-grid' }, figure,
      h('div', { class: 'panel-table' }, h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption }, table), ...notes)));
    this.bars = new CiBars(chartBox);
    this.bars.render({
      rows: rows.map(({ cell: c, label, total }) => ({
        label, total,
        value: c.suppressed ? null : c.value,
        low: c.ci_low, high: c.ci_high,
        note: c.suppressed || c.value == null ? suppressedText(c) : '',
      })),
      min, max, format: fmt,
      tickFormat: (v) => (share ? `${formatNumber(v, lang, 0)}%` : formatNumber(v, lang, Number.isInteger(v) ? 0 : 1)),
    });
  }
}

export default {
  id: 'burgerpanel',
  name: { nl: 'Burgerpanel', en: "Citizens' panel" },
  map: false,
  create: (ctx) => new BurgerpanelView(ctx),
};
