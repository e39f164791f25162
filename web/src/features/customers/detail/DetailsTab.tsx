import { Descriptions, Divider, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useT } from '@web/app/i18n';
import { formatDateTime } from '@web/app/format';
import type { CustomerDetail } from '../api';
import { useCustomFields, useSettingLabel } from '../hooks';
import { formatCustomValue } from '../shared/customValue';
import { StageTag } from '../shared/StageTag';
import { TeamMembers } from './TeamMembers';

/** 详情: every field of the customer (custom fields too) and the team members. */
export function DetailsTab({ customer: c }: { customer: CustomerDetail }) {
  const t = useT();
  const label = useSettingLabel();
  const { data: customFields } = useCustomFields('customer');
  const f = (k: string) => t(`customer.field.${k}`);
  const dash = (v: React.ReactNode) => (v === null || v === undefined || v === '' ? '—' : v);
  const guarded = (field: string, v: React.ReactNode) =>
    c.hiddenFields?.includes(field) ? <Typography.Text type="secondary">{t('customer.hidden')}</Typography.Text> : dash(v);
  const item = (key: string, children: React.ReactNode, span = 1) => ({ key, label: f(key), children, span });

  const items: DescriptionsProps['items'] = [
    item('name', c.name),
    item('shortName', dash(c.shortName)),
    item('code', dash(c.code)),
    item('category', dash(label('categories', c.category))),
    item('stage', c.stage ? <StageTag stage={c.stage} /> : '—'),
    item('importance', dash(label('importances', c.importance))),
    item('source', dash(label('sources', c.source))),
    item('industry', dash(label('industries', c.industry))),
    item('regionName', dash(c.regionName ?? c.regionCode)),
    item('phones', guarded('phones', c.phones?.join('，'))),
    item('website', guarded('website', c.website)),
    item('address', guarded('address', c.address)),
    item('tags', c.tags?.length ? c.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—', 3),
    item('createdByName', dash(c.createdByName)),
    item('createdAt', formatDateTime(c.createdAt)),
    item('updatedAt', formatDateTime(c.updatedAt)),
    item('lastDealAt', formatDateTime(c.lastDealAt)),
    item('pooledAt', formatDateTime(c.pooledAt)),
    item('locked', t(c.locked ? 'common.yes' : 'common.no')),
    item('notes', <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{dash(c.notes)}</Typography.Paragraph>, 3),
    ...(customFields ?? []).map((cf) => ({
      key: `custom.${cf.key}`,
      label: cf.label,
      children: dash(formatCustomValue(t, cf, c.custom?.[cf.key])),
    })),
  ];

  return (
    <>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />
      <Divider titlePlacement="start">{f('team')}</Divider>
      <TeamMembers customer={c} />
    </>
  );
}
