import { Calendar, Flex, Typography, theme } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { onDay, type Schedule } from './api';

type Props = {
  date: Dayjs;
  schedules: Schedule[];
  onCreate: (start: Dayjs, allDay?: boolean) => void;
  onOpen: (s: Schedule) => void;
};

const SHOWN_PER_DAY = 4;

/** Month view (antd Calendar): each day lists its schedules; click a day to add one, a schedule to open it. */
export function MonthView({ date, schedules, onCreate, onOpen }: Props) {
  const t = useT();
  const { token } = theme.useToken();
  return (
    <Calendar
      value={date}
      headerRender={() => null}
      onSelect={(d, info) => {
        if (info.source === 'date') onCreate(d.startOf('day').hour(9));
      }}
      cellRender={(d, info) => {
        if (info.type !== 'date') return info.originNode;
        const items = schedules.filter((s) => onDay(s, d)).sort((a, b) => (a.startAt < b.startAt ? -1 : 1));
        return (
          <Flex vertical gap={2} data-testid={`day-${d.format('YYYY-MM-DD')}`}>
            {items.slice(0, SHOWN_PER_DAY).map((s) => (
              <div
                key={s.id}
                title={s.title}
                onClick={(e) => {
                  e.stopPropagation();
                  onOpen(s);
                }}
                style={{
                  fontSize: 12,
                  whiteSpace: 'nowrap',
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  padding: '0 4px',
                  borderRadius: 4,
                  background: s.done ? token.colorFillSecondary : token.colorPrimaryBg,
                  color: s.done ? token.colorTextTertiary : token.colorText,
                  textDecoration: s.done ? 'line-through' : undefined,
                }}
              >
                {s.allDay ? '' : `${dayjs(s.startAt).format('HH:mm')} `}
                {s.title}
              </div>
            ))}
            {items.length > SHOWN_PER_DAY && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('salesui.calendar.more', { count: items.length - SHOWN_PER_DAY })}
              </Typography.Text>
            )}
          </Flex>
        );
      }}
    />
  );
}
