// Raw generic netlink: ask the controller for a family id by name, then list every family as a
// dump read at the consumer's pace. Run: npm run build && bash .ci/in-netns.sh node examples/raw-genl.mjs
import { open, encodeAttrs, decodeAttrs } from 'nlkit'

const genl = open({ protocol: 'generic' })
const CTRL_CMD_GETFAMILY = 3,
  CTRL_ATTR_FAMILY_ID = 1,
  CTRL_ATTR_FAMILY_NAME = 2
const header = Buffer.from([CTRL_CMD_GETFAMILY, 1, 0, 0]) // struct genlmsghdr
const [reply] = await genl.request({
  type: 0x10, // GENL_ID_CTRL
  payload: Buffer.concat([header, encodeAttrs((b) => b.string(CTRL_ATTR_FAMILY_NAME, 'ethtool'))]),
})
console.log(decodeAttrs(reply.payload.subarray(4)).u16(CTRL_ATTR_FAMILY_ID)) // ethtool's family id
for await (const batch of genl.dumpStream({ type: 0x10, payload: header })) console.log(batch.length)
genl.close()
