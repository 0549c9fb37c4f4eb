export default {
  message: {
    title: 'You have a new notice',
  },
};
