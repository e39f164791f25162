import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Space, Tag, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { CUSTOMER_SORTS } from '@common/schemas/customers';
import { useT } from '@web/app/i18n';
import { formatDate, formatDateTime } from '@web/app/format';
import type { Customer, CustomField } from '../api';
import { useCustomFields, useSettingLabel } from '../hooks';
import { formatCustomValue } from '../shared/customValue';
import { StageTag } from '../shared/StageTag';

export type ColumnDef = { key: string; title: string; width: number; sortable: boolean; render: (c: Customer) => ReactNode };

/** Shown until the user picks columns (or a saved view brings its own). */
export const DEFAULT_COLUMNS = [
  'name',
  'code',
  'category',
  'stage',
  'importance',
  'phones',
  'ownerName',
  'lastContactAt',
  'nextFollowUpAt',
  'tags',
];

const SORTABLE = new Set<string>(CUSTOMER_SORTS);
const dash = (v: ReactNode) => (v === null || v === undefined || v === '' ? '—' : v);

/** Every column the list can show: the standard fields, then the custom fields. */
export function useColumnDefs(): ColumnDef[] {
  const t = useT();
  const label = useSettingLabel();
  const { data: custom } = useCustomFields('customer');
  return useMemo(() => {
    const f = (key: string) => t(`customer.field.${key}`);
    const col = (key: string, width: number, render: ColumnDef['render']): ColumnDef => ({
      key,
      title: f(key),
      width,
      sortable: SORTABLE.has(key),
      render,
    });
    const hidden = (c: Customer, field: string, v: ReactNode) =>
      c.hiddenFields?.includes(field) ? <Typography.Text type="secondary">{t('customer.hidden')}</Typography.Text> : dash(v);
    const standard: ColumnDef[] = [
      col('name', 220, (c) => (
        <Space size={4}>
          <Link to={`/customers/${c.id}`}>{c.name}</Link>
          {c.locked ? <LockOutlined title={t('customer.field.locked')} /> : null}
        </Space>
      )),
      col('code', 140, (c) => dash(c.code)),
      col('shortName', 120, (c) => dash(c.shortName)),
      col('category', 90, (c) => dash(label('categories', c.category))),
      col('stage', 100, (c) => (c.stage ? <StageTag stage={c.stage} /> : '—')),
      col('importance', 80, (c) => dash(label('importances', c.importance))),
      col('source', 100, (c) => dash(label('sources', c.source))),
      col('industry', 100, (c) => dash(label('industries', c.industry))),
      col('regionCode', 180, (c) => dash(c.regionName ?? c.regionCode)),
      col('address', 200, (c) => hidden(c, 'address', c.address)),
      col('phones', 150, (c) => hidden(c, 'phones', c.phones?.join(', '))),
      col('website', 160, (c) => hidden(c, 'website', c.website)),
      col('tags', 160, (c) => (c.tags?.length ? c.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—')),
      col('ownerName', 110, (c) => (c.inPool ? <Tag color="orange">{t('customer.owner.pool')}</Tag> : dash(c.ownerName))),
      col('ownerDepartmentName', 120, (c) => dash(c.ownerDepartmentName)),
      col('lastContactAt', 150, (c) => formatDateTime(c.lastContactAt)),
      col('nextFollowUpAt', 150, (c) => formatDateTime(c.nextFollowUpAt)),
      col('createdByName', 100, (c) => dash(c.createdByName)),
      col('createdAt', 110, (c) => formatDate(c.createdAt)),
      col('updatedAt', 150, (c) => formatDateTime(c.updatedAt)),
    ];
    const customCols = (custom ?? []).map((field: CustomField): ColumnDef => ({
      key: `custom.${field.key}`,
      title: field.label,
      width: 130,
      sortable: false,
      render: (c) => dash(formatCustomValue(t, field, c.custom?.[field.key])),
    }));
    return [...standard, ...customCols];
  }, [t, label, custom]);
}
