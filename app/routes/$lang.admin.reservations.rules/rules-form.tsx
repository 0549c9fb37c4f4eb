import { Form } from '@remix-run/react';
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react';
import type { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Fieldset, type FieldError } from '../../ui/form.tsx';
import {
  QUESTION_ROWS,
  QUESTION_TYPES,
  type RuleSchema,
  type Question,
} from '../../reservations/facility.schema.ts';
import type { RuleView } from '../../reservations/calendar.service.server.ts';

type Values = z.input<typeof RuleSchema>;
type Row = NonNullable<Values['questions']>[number];

const MAX_QUESTIONS = 20;
const RULE_FIELDS = [
  'deadlineWorkingDays',
  'deadlineTime',
  'maxPeople',
  'horizonDays',
  'waitlistHoldHours',
] as const;
const TEXT_FIELDS = ['labelJa', 'labelEn', 'choicesJa', 'choicesEn'] as const;

const rowOf = (q: Question): Row => ({
  id: q.id,
  type: q.type,
  required: q.required ? 'on' : undefined,
  labelJa: q.label.ja,
  labelEn: q.label.en,
  choicesJa: (q.choices ?? []).map((c) => c.ja).join('\n'),
  choicesEn: (q.choices ?? []).map((c) => c.en).join('\n'),
});
const EMPTY_ROW: Row = { id: '', labelJa: '', labelEn: '', choicesJa: '', choicesEn: '' };

/**
 * One kind's booking rules: the deadline, people per booking, how far ahead, and its
 * questions — the saved ones, then empty rows to add more (the same number without JS).
 */
export function RulesForm({
  rule,
  lastResult,
}: {
  rule: RuleView;
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t } = useTranslation('adminReservations');
  const rows = Math.min(MAX_QUESTIONS, rule.questions.length + QUESTION_ROWS);
  const [form, fields] = useForm<Values, z.output<typeof RuleSchema>>({
    id: `rules-${rule.kind}`,
    lastResult,
    defaultValue: {
      kind: rule.kind,
      deadlineWorkingDays: String(rule.deadlineWorkingDays),
      deadlineTime: rule.deadlineTime,
      maxPeople: String(rule.maxPeople),
      horizonDays: String(rule.horizonDays),
      waitlistHoldHours: String(rule.waitlistHoldHours),
      questions: Array.from({ length: rows }, (_, i) =>
        rule.questions[i] ? rowOf(rule.questions[i]) : EMPTY_ROW,
      ),
    } as never,
    shouldValidate: 'onSubmit',
  });
  const errorOf = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const questions = fields.questions.getFieldList();
  const summary: FieldError[] = [
    ...RULE_FIELDS.flatMap((name) => {
      const message = errorOf(fields[name].errors);
      return message ? [{ id: fields[name].id, label: t(`rules.${name}`), message }] : [];
    }),
    ...questions.flatMap((q, i) => {
      const row = q.getFieldset();
      return (['type', ...TEXT_FIELDS] as const).flatMap((name) => {
        const message = errorOf(row[name].errors);
        const label = `${t('rules.question', { n: i + 1 })}: ${t(`rules.${name}`)}`;
        return message ? [{ id: row[name].id, label, message }] : [];
      });
    }),
  ];
  const heading = `${form.id}-heading`;
  return (
    <section aria-labelledby={heading}>
      <h2 id={heading}>{t(`kind.${rule.kind}`)}</h2>
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
        <ErrorSummary errors={summary} />
        <input type="hidden" name={fields.kind.name} value={rule.kind} />
        {RULE_FIELDS.map((name) => {
          const hint =
            name === 'deadlineWorkingDays' ||
            name === 'deadlineTime' ||
            name === 'waitlistHoldHours'
              ? t(`rules.${name}Hint`)
              : undefined;
          return (
            <Field
              key={name}
              id={fields[name].id}
              label={t(`rules.${name}`)}
              hint={hint}
              error={errorOf(fields[name].errors)}
              required
            >
              {(describedBy, invalid) => (
                <input
                  {...getInputProps(fields[name], {
                    type: name === 'deadlineTime' ? 'text' : 'number',
                    ariaAttributes: false,
                  })}
                  required
                  autoComplete="off"
                  inputMode={name === 'deadlineTime' ? 'numeric' : undefined}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
          );
        })}
        <h3>{t('rules.questions')}</h3>
        <p>{t('rules.questionsHint')}</p>
        {questions.map((q, i) => {
          const row = q.getFieldset();
          return (
            <Fieldset key={q.key} id={q.id} legend={t('rules.question', { n: i + 1 })}>
              {() => (
                <>
                  <input {...getInputProps(row.id, { type: 'hidden', ariaAttributes: false })} />
                  <Field id={row.type.id} label={t('rules.type')} error={errorOf(row.type.errors)}>
                    {(describedBy, invalid) => (
                      <select
                        {...getSelectProps(row.type, { ariaAttributes: false })}
                        aria-describedby={describedBy}
                        aria-invalid={invalid || undefined}
                      >
                        <option value="">{t('rules.chooseType')}</option>
                        {QUESTION_TYPES.map((type) => (
                          <option key={type} value={type}>
                            {t(`rules.types.${type}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <div className="checkbox">
                    <input
                      {...getInputProps(row.required, {
                        type: 'checkbox',
                        value: 'on',
                        ariaAttributes: false,
                      })}
                    />
                    <label htmlFor={row.required.id}>{t('rules.required')}</label>
                  </div>
                  {TEXT_FIELDS.map((name) => (
                    <Field
                      key={name}
                      id={row[name].id}
                      label={t(`rules.${name}`)}
                      error={errorOf(row[name].errors)}
                    >
                      {(describedBy, invalid) =>
                        name.startsWith('choices') ? (
                          <textarea
                            {...getTextareaProps(row[name], { ariaAttributes: false })}
                            rows={3}
                            aria-describedby={describedBy}
                            aria-invalid={invalid || undefined}
                          />
                        ) : (
                          <input
                            {...getInputProps(row[name], { type: 'text', ariaAttributes: false })}
                            autoComplete="off"
                            aria-describedby={describedBy}
                            aria-invalid={invalid || undefined}
                          />
                        )
                      }
                    </Field>
                  ))}
                </>
              )}
            </Fieldset>
          );
        })}
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('rules.save', { kind: t(`kind.${rule.kind}`) })}
          </button>
        </div>
      </Form>
    </section>
  );
}
