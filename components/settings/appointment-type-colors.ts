/** Google Calendar's event colours, offered for appointment types (`#rrggbb`, lower case as stored). */
export const TYPE_COLORS = [
  { hex: '#d50000', name: 'colorTomato' },
  { hex: '#e67c73', name: 'colorFlamingo' },
  { hex: '#f4511e', name: 'colorTangerine' },
  { hex: '#f6bf26', name: 'colorBanana' },
  { hex: '#33b679', name: 'colorSage' },
  { hex: '#0b8043', name: 'colorBasil' },
  { hex: '#039be5', name: 'colorPeacock' },
  { hex: '#3f51b5', name: 'colorBlueberry' },
  { hex: '#7986cb', name: 'colorLavender' },
  { hex: '#8e24aa', name: 'colorGrape' },
  { hex: '#616161', name: 'colorGraphite' },
] as const;

export type TypeColorName = (typeof TYPE_COLORS)[number]['name'];
