import { Table } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import type { Customer } from '../api';
import type { ColumnDef } from './columns';

type Props = {
  customers: Customer[];
  loading: boolean;
  defs: ColumnDef[];
  columns: string[];
  sort?: string;
  order?: 'asc' | 'desc';
  onSort: (sort: string | undefined, order: 'asc' | 'desc' | undefined) => void;
  selected: string[];
  onSelect: (ids: string[]) => void;
  selectable: boolean;
};

/** The customer table: the chosen columns in their order, server-side sort, row selection for bulk actions. */
export function CustomerTable({ customers, loading, defs, columns, sort, order, onSort, selected, onSelect, selectable }: Props) {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const shown = columns.map((k) => byKey.get(k)).filter((d): d is ColumnDef => Boolean(d));
  const tableColumns: TableColumnsType<Customer> = shown.map((d) => ({
    key: d.key,
    title: d.title,
    width: d.width,
    ellipsis: d.key !== 'tags' && d.key !== 'name',
    fixed: d.key === 'name' ? 'left' : undefined,
    render: (_: unknown, c: Customer) => d.render(c),
    sorter: d.sortable,
    sortOrder: d.sortable && sort === d.key ? (order === 'asc' ? 'ascend' : 'descend') : null,
    sortDirections: ['descend', 'ascend'],
  }));

  const onChange: TableProps<Customer>['onChange'] = (_p, _f, sorter, extra) => {
    if (extra.action !== 'sort') return;
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    if (!s?.order) onSort(undefined, undefined);
    else onSort(String(s.columnKey), s.order === 'ascend' ? 'asc' : 'desc');
  };

  return (
    <Table<Customer>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={customers}
      columns={tableColumns}
      pagination={false}
      scroll={{ x: 'max-content' }}
      onChange={onChange}
      showSorterTooltip={false}
      rowSelection={selectable ? { selectedRowKeys: selected, onChange: (keys) => onSelect(keys.map(String)), fixed: true } : undefined}
    />
  );
}
