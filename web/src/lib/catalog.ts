// The city's divisions and industries (keys as the API stores them; names in the locale files).
export const REGIONS = [
  'Hongshan', 'Yuanbaoshan', 'Songshan', 'ArHorqin', 'BairinLeft', 'BairinRight',
  'Linxi', 'Hexigten', 'Ongniud', 'Harqin', 'Ningcheng', 'Aohan',
] as const
export const INDUSTRIES = [
  'farming_herding', 'nonferrous_metals', 'new_energy', 'culture_tourism', 'food_processing',
  'logistics', 'manufacturing', 'technology', 'trade_services',
] as const
