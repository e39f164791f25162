import { DatePicker, Flex, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { UserPicker } from '@web/features/org/shared/UserPicker';
import { KNOWN_ACTIONS, KNOWN_ENTITIES, type AuditFilters as Filters } from './api';
import { actionLabel, entityLabel } from './labels';

type Props = { value: Filters; onChange: (next: Filters) => void };

/** Who (user picker), which record type / id, which action, and a day range (end day included). */
export function AuditFilters({ value, onChange }: Props) {
  const t = useT();
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });
  const range: [Dayjs, Dayjs] | null = value.from && value.to ? [dayjs(value.from), dayjs(value.to).subtract(1, 'day')] : null;
  const today = dayjs().startOf('day');

  return (
    <Flex gap={8} wrap style={{ marginBottom: 16 }}>
      <UserPicker
        includeInactive
        value={value.actorId}
        onChange={(actorId) => set({ actorId: actorId ?? undefined })}
        placeholder={t('audit.actor')}
        style={{ width: 200 }}
      />
      <Select
        allowClear
        value={value.entity}
        onChange={(entity?: string) => set({ entity })}
        options={KNOWN_ENTITIES.map((e) => ({ value: e, label: entityLabel(t, e) }))}
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('audit.entity')}
        style={{ width: 140 }}
      />
      <Input.Search
        allowClear
        defaultValue={value.entityId}
        onSearch={(entityId) => set({ entityId: entityId.trim() || undefined })}
        placeholder={t('audit.entity_id')}
        style={{ width: 220 }}
      />
      <Select
        allowClear
        value={value.action}
        onChange={(action?: string) => set({ action })}
        options={KNOWN_ACTIONS.map((a) => ({ value: a, label: actionLabel(t, a) }))}
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('audit.action')}
        style={{ width: 140 }}
      />
      <DatePicker.RangePicker
        value={range}
        allowEmpty={[false, false]}
        presets={[
          { label: t('audit.range.today'), value: [today, today] },
          { label: t('audit.range.7d'), value: [today.subtract(6, 'day'), today] },
          { label: t('audit.range.30d'), value: [today.subtract(29, 'day'), today] },
        ]}
        onChange={(days) =>
          // `to` is exclusive on the server, so the end day is included by sending the next midnight.
          set(
            days?.[0] && days[1]
              ? { from: days[0].startOf('day').toISOString(), to: days[1].add(1, 'day').startOf('day').toISOString() }
              : { from: undefined, to: undefined },
          )
        }
      />
    </Flex>
  );
}
