import { useMemo, useState } from 'react';
import { Alert, Button, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { useT } from '@web/app/i18n';
import type { CellValue, ImportMapping, ImportStart } from './api';

type Props = {
  start: ImportStart;
  mapping: ImportMapping;
  onMapping: (m: ImportMapping) => void;
  onBack: () => void;
  onPreview: () => void;
  busy: boolean;
  problem: string | null;
};

type Row = { index: number; header: string; samples: CellValue[] };

const cell = (v: CellValue) => (v === null || v === '' ? '' : typeof v === 'boolean' ? (v ? '✓' : '✗') : String(v));

/** Step 2: one select per workbook column (prefilled from the server's suggestion); every required field must be mapped once. */
export function MappingStep({ start, mapping, onMapping, onBack, onPreview, busy, problem }: Props) {
  const t = useT();
  const [showAll, setShowAll] = useState(false);
  const used = useMemo(() => {
    const m = new Map<string, number>();
    for (const f of Object.values(mapping)) if (f) m.set(f, (m.get(f) ?? 0) + 1);
    return m;
  }, [mapping]);
  const missing = start.fields.filter((f) => f.required && !used.has(f.key));
  const twice = [...used.entries()].filter(([, n]) => n > 1).map(([k]) => start.fields.find((f) => f.key === k)?.label ?? k);
  const rows: Row[] = start.headers.map((header, index) => ({ index, header, samples: start.sampleRows.map((r) => r[index] ?? null) }));
  const shown = showAll ? rows : rows.filter((r) => r.header || r.samples.some((s) => cell(s)));
  const options = [
    { value: '', label: t('salesui.excel.skip') },
    ...start.fields.map((f) => ({ value: f.key, label: f.required ? `${f.label} *` : f.label })),
  ];

  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">
        {t('salesui.excel.file_summary', { name: start.fileName, total: start.total, columns: start.headers.length })}
      </Typography.Text>
      <Table<Row>
        rowKey="index"
        size="small"
        pagination={false}
        dataSource={shown}
        data-testid="mapping-table"
        columns={[
          {
            title: t('salesui.excel.column'),
            key: 'header',
            width: 200,
            render: (_, r) => (
              <Space>
                <Tag>{columnLetter(r.index)}</Tag>
                {r.header || <Typography.Text type="secondary">{t('salesui.excel.no_header')}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('salesui.excel.samples'),
            key: 'samples',
            ellipsis: true,
            render: (_, r) => r.samples.map(cell).filter(Boolean).slice(0, 3).join(' / '),
          },
          {
            title: t('salesui.excel.field'),
            key: 'field',
            width: 240,
            render: (_, r) => (
              <Select
                value={mapping[String(r.index)] ?? ''}
                onChange={(v: string) => onMapping({ ...mapping, [String(r.index)]: v || null })}
                options={options}
                showSearch={{ optionFilterProp: 'label' }}
                style={{ width: '100%' }}
                aria-label={t('salesui.excel.field_for', { column: r.header || columnLetter(r.index) })}
                status={mapping[String(r.index)] && (used.get(mapping[String(r.index)]!) ?? 0) > 1 ? 'error' : undefined}
              />
            ),
          },
        ]}
      />
      {shown.length < rows.length && (
        <Button type="link" onClick={() => setShowAll(true)} style={{ alignSelf: 'start', padding: 0 }}>
          {t('salesui.excel.show_empty', { count: rows.length - shown.length })}
        </Button>
      )}
      {missing.length > 0 && (
        <Alert type="warning" showIcon title={t('salesui.excel.missing_required', { fields: missing.map((f) => f.label).join('、') })} />
      )}
      {twice.length > 0 && <Alert type="error" showIcon title={t('salesui.excel.mapped_twice', { fields: twice.join('、') })} />}
      {problem && <Alert type="error" showIcon title={problem} />}
      <Space>
        <Button onClick={onBack}>{t('salesui.excel.back')}</Button>
        <Button
          type="primary"
          onClick={onPreview}
          loading={busy}
          disabled={missing.length > 0 || twice.length > 0}
          data-testid="import-preview"
        >
          {t('salesui.excel.check')}
        </Button>
      </Space>
    </Flex>
  );
}

/** 0 → A, 25 → Z, 26 → AA: the column as Excel names it. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
