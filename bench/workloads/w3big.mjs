// W3 with 1M routes (--big): see w3.mjs.
import { w3 } from './w3.mjs'

export default w3('W3-1M', 1000000)
