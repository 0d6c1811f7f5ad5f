import { defineAsyncComponent } from 'vue'

// ECharts is the largest chunk: views load it beside their data, not before it.
export const EChart = defineAsyncComponent(() => import('./EChart.vue'))
