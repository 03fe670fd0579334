/** Seed data of spec §2. 临沂蒙山旅游度假区 has no official code, so it gets a local one. */
export const LINYI_CITY = { code: '371300', name: '临沂市教育局' };

export const LINYI_COUNTIES = [
  { code: '371302', name: '兰山区' },
  { code: '371311', name: '罗庄区' },
  { code: '371312', name: '河东区' },
  { code: '371321', name: '沂南县' },
  { code: '371322', name: '郯城县' },
  { code: '371323', name: '沂水县' },
  { code: '371324', name: '兰陵县' },
  { code: '371325', name: '费县' },
  { code: '371326', name: '平邑县' },
  { code: '371327', name: '莒南县' },
  { code: '371328', name: '蒙阴县' },
  { code: '371329', name: '临沭县' },
  { code: '371371', name: '临沂高新技术产业开发区' },
  { code: '371372', name: '临沂经济技术开发区' },
  { code: '371373', name: '临沂临港经济开发区' },
  { code: 'L371399', name: '临沂蒙山旅游度假区' },
];
