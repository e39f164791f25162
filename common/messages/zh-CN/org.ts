/** Organisation texts the server hands to the client as keys (handover and recycle-bin record types). */
export default {
  'org.entity.department': '部门',
  'org.entity.position': '职位',
  'org.handover.subordinates': '直属下级',
  'org.handover.department_head': '负责的部门',
} as const;
