/** Organisation texts the server hands to the client as keys (handover and recycle-bin record types). */
export default {
  'org.entity.department': 'Department',
  'org.entity.position': 'Position',
  'org.handover.subordinates': 'Direct reports',
  'org.handover.department_head': 'Departments headed',
} as const;
