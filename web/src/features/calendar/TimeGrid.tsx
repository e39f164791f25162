import { useEffect, useRef } from 'react';
import { Flex, Typography, theme } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '@web/app/i18n';
import { onDay, type Schedule } from './api';

const HOUR_PX = 44;
const GUTTER = 56;
const HOURS = Array.from({ length: 24 }, (_, h) => h);

type Props = {
  days: Dayjs[];
  schedules: Schedule[];
  onCreate: (start: Dayjs, allDay?: boolean) => void;
  onOpen: (s: Schedule) => void;
};

type Placed = { s: Schedule; top: number; height: number; lane: number; lanes: number };

/** Lays a day's timed schedules out: position by time, overlapping ones side by side. */
function place(day: Dayjs, items: Schedule[]): Placed[] {
  const dayStart = day.startOf('day');
  const spans = items
    .map((s) => {
      const start = dayjs(s.startAt);
      const end = s.endAt ? dayjs(s.endAt) : start.add(30, 'minute');
      const from = Math.max(0, start.diff(dayStart, 'minute'));
      const to = Math.min(24 * 60, Math.max(end.diff(dayStart, 'minute'), from + 30));
      return { s, from, to };
    })
    .sort((a, b) => a.from - b.from || b.to - a.to);
  const laneEnds: number[] = [];
  const placed = spans.map(({ s, from, to }) => {
    let lane = laneEnds.findIndex((e) => e <= from);
    if (lane < 0) lane = laneEnds.push(to) - 1;
    else laneEnds[lane] = to;
    return { s, top: (from / 60) * HOUR_PX, height: ((to - from) / 60) * HOUR_PX - 2, lane, lanes: 1 };
  });
  const lanes = Math.max(1, laneEnds.length);
  return placed.map((p) => ({ ...p, lanes }));
}

/** Day and week views: an hour grid per day, all-day schedules on top; click a slot to add, a schedule to open. */
export function TimeGrid({ days, schedules, onCreate, onOpen }: Props) {
  const t = useT();
  const { token } = theme.useToken();
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // the working day is what people look at first
    if (scroller.current) scroller.current.scrollTop = 8 * HOUR_PX;
  }, []);
  const border = `1px solid ${token.colorBorderSecondary}`;
  const today = dayjs();
  const chip = (s: Schedule) => ({
    background: s.done ? token.colorFillSecondary : token.colorPrimaryBg,
    borderLeft: `3px solid ${s.done ? token.colorTextQuaternary : token.colorPrimary}`,
    color: s.done ? token.colorTextTertiary : token.colorText,
    textDecoration: s.done ? 'line-through' : undefined,
    borderRadius: 4,
    padding: '0 4px',
    fontSize: 12,
    overflow: 'hidden',
    cursor: 'pointer',
  });

  return (
    <div style={{ border, borderRadius: token.borderRadius }} data-testid="time-grid">
      <Flex style={{ borderBottom: border }}>
        <div style={{ width: GUTTER, flex: 'none' }} />
        {days.map((d) => (
          <div key={d.valueOf()} style={{ flex: 1, padding: 6, textAlign: 'center', borderLeft: border }}>
            <Typography.Text strong={d.isSame(today, 'day')} type={d.isSame(today, 'day') ? undefined : 'secondary'}>
              {d.format('ddd M/D')}
            </Typography.Text>
          </div>
        ))}
      </Flex>
      <Flex style={{ borderBottom: border, minHeight: 28 }}>
        <div style={{ width: GUTTER, flex: 'none', fontSize: 12, padding: 4, color: token.colorTextSecondary }}>
          {t('salesui.calendar.all_day')}
        </div>
        {days.map((d) => (
          <Flex
            key={d.valueOf()}
            vertical
            gap={2}
            style={{ flex: 1, borderLeft: border, padding: 2, minWidth: 0, cursor: 'copy' }}
            onClick={() => onCreate(d.startOf('day'), true)}
          >
            {schedules
              .filter((s) => s.allDay && onDay(s, d))
              .map((s) => (
                <div
                  key={s.id}
                  style={chip(s)}
                  onClick={(e) => {
                    e.stopPropagation();
                    onOpen(s);
                  }}
                >
                  {s.title}
                </div>
              ))}
          </Flex>
        ))}
      </Flex>
      <div ref={scroller} style={{ height: 560, overflowY: 'auto' }}>
        <Flex style={{ position: 'relative' }}>
          <div style={{ width: GUTTER, flex: 'none' }}>
            {HOURS.map((h) => (
              <div key={h} style={{ height: HOUR_PX, fontSize: 12, textAlign: 'right', paddingRight: 6, color: token.colorTextSecondary }}>
                {`${String(h).padStart(2, '0')}:00`}
              </div>
            ))}
          </div>
          {days.map((d) => (
            <div key={d.valueOf()} style={{ flex: 1, position: 'relative', borderLeft: border, minWidth: 0 }}>
              {HOURS.map((h) => (
                <div
                  key={h}
                  style={{ height: HOUR_PX, borderTop: h ? border : undefined, cursor: 'copy' }}
                  onClick={() => onCreate(d.startOf('day').hour(h))}
                  aria-label={`${d.format('YYYY-MM-DD')} ${h}:00`}
                />
              ))}
              {place(
                d,
                schedules.filter((s) => !s.allDay && onDay(s, d)),
              ).map((p) => (
                <div
                  key={p.s.id}
                  title={p.s.title}
                  onClick={() => onOpen(p.s)}
                  style={{
                    ...chip(p.s),
                    position: 'absolute',
                    top: p.top,
                    height: Math.max(p.height, 18),
                    left: `${(p.lane / p.lanes) * 100}%`,
                    width: `calc(${100 / p.lanes}% - 2px)`,
                  }}
                  data-testid="grid-schedule"
                >
                  {p.height < 36 ? (
                    <div style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                      {dayjs(p.s.startAt).format('HH:mm')} {p.s.title}
                    </div>
                  ) : (
                    <>
                      <div>{dayjs(p.s.startAt).format('HH:mm')}</div>
                      <div>{p.s.title}</div>
                    </>
                  )}
                </div>
              ))}
            </div>
          ))}
        </Flex>
      </div>
    </div>
  );
}
